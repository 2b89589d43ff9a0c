//! The typst `World` of one rendering: a closed, in-memory file system.
//!
//! typst asks its world for everything outside the source: files, fonts, the date. Ours answers
//! from memory only (the templates, `data.json`, the logo, the embedded fonts) and refuses every
//! other path, so a document never reads the server's disk, never fetches a package and never
//! depends on the clock.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use crate::Renderer;

/// The id of a file at `path` in the project root (`/data.json`…). Ids are interned for the
/// process, so asking twice gives the same id.
pub(crate) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("the crate's virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One rendering's world: the renderer's fonts, library and templates, plus this document's
/// data, logo and date.
pub(crate) struct DocumentWorld<'a> {
    pub renderer: &'a Renderer,
    /// The template compiled as the main file.
    pub main: Source,
    /// `data.json`: the document serialised by serde.
    pub data: Bytes,
    /// The logo's virtual file, when there is a logo.
    pub logo: Option<(FileId, Bytes)>,
    /// The document's own date, typst's `today()`.
    pub today: Datetime,
}

impl DocumentWorld<'_> {
    fn not_found(id: FileId) -> FileError {
        FileError::NotFound(id.vpath().get_with_slash().into())
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        self.renderer
            .templates
            .module(id)
            .cloned()
            .ok_or_else(|| Self::not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.renderer.templates.data_id {
            return Ok(self.data.clone());
        }
        if let Some((logo_id, bytes)) = &self.logo
            && *logo_id == id
        {
            return Ok(bytes.clone());
        }
        // typst may read a source file as bytes too (`read("common.typ")`).
        self.source(id)
            .map(|source| Bytes::from_string(source.text().to_owned()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The document's date whatever the offset: a document dated 1 December says
        // 1 December in every time zone and on every later re-rendering.
        Some(self.today)
    }
}
