#include "CpuLevel.h"

int loom_cpu_level(void) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__clang__) || defined(__GNUC__))
    static int cached = -1;
    int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (level < 0) {
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") ? LOOM_CPU_AVX512
              : (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? LOOM_CPU_AVX2_FMA : LOOM_CPU_BASELINE);
        __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
    }
    return level;
#else
    return LOOM_CPU_BASELINE;
#endif
}
