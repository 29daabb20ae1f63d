// Which vector instructions the running CPU has, for the kernels that pick an implementation
// at run time by hand (target_clones covers the rest). Internal to CLoomKernels.
#ifndef LOOM_CPU_LEVEL_H
#define LOOM_CPU_LEVEL_H

#define LOOM_CPU_BASELINE 0
#define LOOM_CPU_AVX2_FMA 1
#define LOOM_CPU_AVX512 2

/// LOOM_CPU_AVX512, LOOM_CPU_AVX2_FMA or LOOM_CPU_BASELINE (always the latter off x86).
int loom_cpu_level(void);

#endif
