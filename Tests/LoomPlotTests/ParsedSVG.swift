import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG document parsed with `XMLParser`: whether it is well-formed, and its elements with
/// attributes, text and the `class` names of their ancestors.
struct ParsedSVG {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// `class` attributes of the enclosing elements, outermost first.
        var ancestorClasses: [String]

        func number(_ attribute: String) -> Double? {
            attributes[attribute].flatMap(Double.init)
        }
    }

    let isWellFormed: Bool
    let parseError: String?
    let elements: [Element]

    init(_ svg: String) {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        isWellFormed = parser.parse()
        parseError = parser.parserError.map { "\($0)" }
        elements = collector.finished
    }

    var root: Element? { elements.first }

    func elements(named name: String) -> [Element] {
        elements.filter { $0.name == name }
    }

    /// The text of every `<text>` element, in document order.
    var texts: [String] { elements(named: "text").map(\.text) }

    /// `<text>` elements inside a group with the given class.
    func texts(in groupClass: String) -> [Element] {
        elements(named: "text").filter { $0.ancestorClasses.contains(groupClass) }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var finished: [Element] = []
        private var stack: [(index: Int, element: Element)] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let classes = stack.compactMap { $0.element.attributes["class"] }
            let element = Element(name: elementName, attributes: attributes, text: "", ancestorClasses: classes)
            finished.append(element)
            stack.append((finished.count - 1, element))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let top = stack.last else { return }
            finished[top.index].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            if !stack.isEmpty { stack.removeLast() }
        }
    }
}
