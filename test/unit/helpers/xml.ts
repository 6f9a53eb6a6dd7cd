/**
 * A strict reader for the XML our JUnit writer produces (elements, attributes, text, the five
 * entities and numeric references; no DTD, CDATA or comments): enough to prove a file is well
 * formed and to read it back, without a dependency.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = '[A-Za-z_][\\w.-]*';

function decode(text: string, where: number): string {
  return text.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare "&" at ${where}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const numeric = /^#(x[0-9a-fA-F]+|\d+)$/.exec(body);
    if (!numeric) throw new Error(`unknown entity &${body}; at ${where}`);
    return String.fromCodePoint(numeric[1]!.startsWith('x') ? parseInt(numeric[1]!.slice(1), 16) : Number(numeric[1]));
  });
}

/** Parses a whole document; throws on anything that is not well-formed. */
export function parseXml(xml: string): XmlElement {
  let at = 0;
  const declaration = /^<\?xml [^?]*\?>\s*/.exec(xml);
  if (declaration) at = declaration[0].length;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>`, 'y');
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const text = xml.slice(at, lt < 0 ? xml.length : lt);
    if (text.includes('>') && !/^[^>]*$/.test(text)) throw new Error(`raw ">" in text at ${at}`);
    stack[stack.length - 1]!.text += decode(text, at);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [whole, closing, name, attrs, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name || stack.length === 0) throw new Error(`unexpected </${name}> at ${lt}`);
    } else {
      const attributes: Record<string, string> = {};
      for (const a of attrs!.matchAll(new RegExp(`(${NAME})="([^"]*)"`, 'g'))) {
        if (a[1]! in attributes) throw new Error(`attribute ${a[1]} twice at ${lt}`);
        attributes[a[1]!] = decode(a[2]!, lt);
      }
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      stack[stack.length - 1]!.children.push(element);
      if (!selfClosing) stack.push(element);
    }
    at = lt + whole.length;
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('a document has exactly one root element');
  return root.children[0]!;
}
