//! A small element tree read with quick-xml, for REFI-QDA projects: elements by local name,
//! their attributes (entity references resolved) and their text. Document type declarations
//! are refused (no entity expansion); only the five predefined entities and character
//! references are known.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// An element.
#[derive(Debug, Default)]
pub struct Element {
    /// The local name (without a namespace prefix).
    pub name: String,
    /// Attributes by qualified name, in document order.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The text directly inside, concatenated.
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The children named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child named `name`.
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses `xml` into its root element; errors say where.
pub fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error near byte {at}: {e}"))?;
        match event {
            Event::Decl(decl) => {
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(|e| format!("XML declaration: {e}"))?;
                    if !encoding.eq_ignore_ascii_case("utf-8") {
                        return Err(format!(
                            "unknown encoding {encoding:?}: REFI-QDA projects are UTF-8"
                        ));
                    }
                }
            }
            Event::DocType(_) => {
                return Err("document type declarations (DTD) are not allowed".to_string());
            }
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(format!("content after the root element near byte {at}"));
            }
            Event::Start(start) => stack.push(element(&start)?),
            Event::Empty(start) => {
                let element = element(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| format!("unexpected end tag near byte {at}"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                let c = resolve(&reference)?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&c);
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err("the XML ends inside an element (truncated?)".to_string());
    }
    root.ok_or_else(|| "no root element".to_string())
}

fn resolve(reference: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            _ => Err(format!("bad character reference &{};", &**reference)),
        };
    }
    match &**reference {
        "amp" => Ok("&".to_string()),
        "lt" => Ok("<".to_string()),
        "gt" => Ok(">".to_string()),
        "quot" => Ok("\"".to_string()),
        "apos" => Ok("'".to_string()),
        other => Err(format!("unknown entity &{other};")),
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let local = start.local_name();
    let name: &str = local.as_ref();
    let name = name.to_string();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("<{name}>: bad attribute: {e}"))?;
        let key: &str = attr.key.as_ref();
        let key = key.to_string();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("<{name} {key}>: {e}"))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        ..Element::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_text_are_read() {
        let root = parse(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><p:A xmlns:p=\"u\" k=\"a&amp;b&#10;\"><B>x &lt; y</B><C/></p:A>",
        )
        .unwrap();
        assert_eq!(root.name, "A");
        assert_eq!(root.attr("k"), Some("a&b\n"));
        assert_eq!(root.first("B").unwrap().text, "x < y");
        assert!(root.first("C").is_some());
    }

    #[test]
    fn dtds_truncation_and_other_encodings_are_refused() {
        assert!(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").is_err());
        assert!(parse("<a><b></b>").is_err());
        assert!(parse("<?xml version=\"1.0\" encoding=\"GBK\"?><a/>").is_err());
    }
}
