//! Just enough JSON to read cargo's `--message-format=json` lines and to write the
//! runner's own small files (`.awaitlings/last-verdict`), so the learner's runner needs
//! no serde (learners compile it on their first command). The staff's results files use
//! serde_json (`xtask/staff/grading/grade.rs`).

use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

impl Json {
    pub fn parse(text: &str) -> Option<Json> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let value = parser.value()?;
        parser.skip_whitespace();
        (parser.pos == parser.bytes.len()).then_some(value)
    }

    /// `self[key]`, or `Null` when `self` is not an object or has no such key.
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(map) => map.get(key).unwrap_or(&Json::Null),
            _ => &Json::Null,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }
}

/// Compact JSON. Object keys come out sorted (a `BTreeMap`), which readers ignore.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => write!(f, "null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Number(n) if n.is_finite() => write!(f, "{n}"),
            Json::Number(_) => write!(f, "null"),
            Json::String(s) => write_string(f, s),
            Json::Array(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{item}")?;
                }
                write!(f, "]")
            }
            Json::Object(map) => {
                write!(f, "{{")?;
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write_string(f, key)?;
                    write!(f, ":{value}")?;
                }
                write!(f, "}}")
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    write!(f, "\"")?;
    for c in s.chars() {
        match c {
            '"' => write!(f, "\\\"")?,
            '\\' => write!(f, "\\\\")?,
            '\n' => write!(f, "\\n")?,
            '\r' => write!(f, "\\r")?,
            '\t' => write!(f, "\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    write!(f, "\"")
}

/// Builds a JSON object from `(key, value)` pairs.
pub fn object<const N: usize>(pairs: [(&str, Json); N]) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Arrays and objects open around the value being read.
    depth: usize,
}

/// Deeper nesting is refused, not recursed into: 200k `[` would overflow the stack.
const MAX_DEPTH: usize = 128;

impl Parser<'_> {
    fn skip_whitespace(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.bytes.get(self.pos) == Some(&byte)).then(|| self.pos += 1)
    }

    fn literal(&mut self, word: &str, value: Json) -> Option<Json> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then(|| {
            self.pos = end;
            value
        })
    }

    fn value(&mut self) -> Option<Json> {
        self.skip_whitespace();
        match *self.bytes.get(self.pos)? {
            b'n' => self.literal("null", Json::Null),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' | b'{' if self.depth >= MAX_DEPTH => None,
            b'[' => {
                self.pos += 1;
                self.depth += 1;
                let items = self.array();
                self.depth -= 1;
                items.map(Json::Array)
            }
            b'{' => {
                self.pos += 1;
                self.depth += 1;
                let map = self.object();
                self.depth -= 1;
                map.map(Json::Object)
            }
            _ => self.number(),
        }
    }

    fn array(&mut self) -> Option<Vec<Json>> {
        let mut items = Vec::new();
        if self.eat(b']').is_some() {
            return Some(items);
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']').is_some() {
                return Some(items);
            }
            self.eat(b',')?;
        }
    }

    fn object(&mut self) -> Option<BTreeMap<String, Json>> {
        let mut map = BTreeMap::new();
        if self.eat(b'}').is_some() {
            return Some(map);
        }
        loop {
            self.skip_whitespace();
            let key = self.string()?;
            self.eat(b':')?;
            map.insert(key, self.value()?);
            if self.eat(b'}').is_some() {
                return Some(map);
            }
            self.eat(b',')?;
        }
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
        {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        // `1e400` reads as infinity, which JSON cannot write back: refused.
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Json::Number)
    }

    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain bytes up to the next quote or escape in one go.
            let start = self.pos;
            while !matches!(self.bytes.get(self.pos), None | Some(b'"' | b'\\')) {
                self.pos += 1;
            }
            out.push_str(std::str::from_utf8(&self.bytes[start..self.pos]).ok()?);
            match self.bytes.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                _ => {
                    let escape = *self.bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    match escape {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => out.push(self.unicode_escape()?),
                        other => out.push(other as char),
                    }
                }
            }
        }
    }

    /// The four hex digits after `\u`, joining a surrogate pair when one follows. A lone
    /// surrogate (a high one not followed by a low one, or a low one alone) is U+FFFD,
    /// and what follows it is read as itself: one bad escape does not spoil the line.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            let next = self.bytes.get(self.pos..self.pos + 6);
            let low = next
                .filter(|n| n.starts_with(b"\\u"))
                .and_then(|n| std::str::from_utf8(&n[2..]).ok())
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .filter(|low| (0xDC00..0xE000).contains(low));
            if let Some(low) = low {
                self.pos += 6;
                return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00));
            }
        }
        Some(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.bytes.get(self.pos..self.pos + 4)?).ok()?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{Json, object};

    #[test]
    fn reads_a_cargo_artifact_line() {
        let line = r#"{"reason":"compiler-artifact","target":{"name":"kata","kind":["test"]},
            "profile":{"test":true},"executable":"/t/kata-1","fresh":false,"n":-1.5e2}"#;
        let json = Json::parse(line).unwrap();
        assert_eq!(json.get("reason").as_str(), Some("compiler-artifact"));
        assert_eq!(
            json.get("target").get("kind").as_array()[0].as_str(),
            Some("test")
        );
        assert_eq!(json.get("profile").get("test").as_bool(), Some(true));
        assert_eq!(json.get("executable").as_str(), Some("/t/kata-1"));
        assert_eq!(json.get("n"), &Json::Number(-150.0));
        assert_eq!(json.get("missing"), &Json::Null);
    }

    #[test]
    fn decodes_escapes() {
        let json = Json::parse(r#""a\"b\\c\n\u001b[1m\u00e9\ud83e\udd80""#).unwrap();
        assert_eq!(json.as_str(), Some("a\"b\\c\n\u{1b}[1mé🦀"));
    }

    #[test]
    fn survives_what_a_hostile_line_holds() {
        // Deep nesting is refused, not a stack overflow that kills the runner.
        let deep = "[".repeat(200_000);
        assert_eq!(Json::parse(&deep), None);
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(Json::parse(&fine).is_some());
        // A lone surrogate is U+FFFD, and what follows stays itself.
        assert_eq!(
            Json::parse(r#""\ud83e\u0041""#).unwrap().as_str(),
            Some("\u{fffd}A")
        );
        assert_eq!(
            Json::parse(r#""\ud83e\ue000""#).unwrap().as_str(),
            Some("\u{fffd}\u{e000}")
        );
        assert_eq!(
            Json::parse(r#""\udd80""#).unwrap().as_str(),
            Some("\u{fffd}")
        );
        // A number JSON cannot write back is refused, not read as infinity.
        assert_eq!(Json::parse("1e400"), None);
    }

    #[test]
    fn rejects_broken_input() {
        for text in ["", "{", r#"{"a":}"#, "[1,]", r#""open"#, "tru", "{} x"] {
            assert_eq!(Json::parse(text), None, "{text:?} is not JSON");
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let value = object([
            (
                "name",
                Json::String("a \"quoted\"\n\tline \u{1} \\ end".into()),
            ),
            ("score", Json::Number(2.5)),
            ("tests", Json::Array(vec![Json::Null, Json::Bool(true)])),
        ]);
        let text = value.to_string();
        assert_eq!(Json::parse(&text), Some(value));
        assert_eq!(object([("n", Json::Number(5.0))]).to_string(), r#"{"n":5}"#);
    }
}
