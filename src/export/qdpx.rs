//! The REFI-QDA project file (`.qdpx`): a zip holding `project.qde` and the sources as UTF-8
//! text in `sources/`.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::refi::Project;

/// The project zipped.
pub fn write(project: &Project) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("project.qde", options)?;
    zip.write_all(project.qde.as_bytes())?;
    for source in &project.sources {
        zip.start_file(format!("sources/{}", source.name), options)?;
        zip.write_all(source.text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
