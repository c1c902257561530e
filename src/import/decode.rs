//! TEMPORARY placeholder until the real decoder lands (UTF-8 only).
use std::io::{Read, Seek};
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub bom: bool,
    pub detected: bool,
}
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("too large {size} {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("unknown encoding {0}")]
    UnknownEncoding(String),
}
pub fn decode<R: Read + Seek>(
    mut reader: R,
    _forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Decoded, DecodeError> {
    let mut s = String::new();
    reader.read_to_string(&mut s)?;
    if s.is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text: s.replace("\r\n", "\n"),
        encoding: "utf-8",
        bom: false,
        detected: false,
    })
}
pub fn encoding_for_label(label: &str) -> Result<&'static encoding_rs::Encoding, DecodeError> {
    encoding_rs::Encoding::for_label(label.as_bytes())
        .ok_or_else(|| DecodeError::UnknownEncoding(label.to_string()))
}
