//! Exports written and read back with real tools (docs/export.md): the DOCX's XML, the XLSX
//! through calamine, the PDF through poppler's pdftotext, pdffonts and pdftoppm.

mod common;
mod docx;
mod pdf;
mod xlsx;
