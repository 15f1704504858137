//! Pure file-format code: bytes in, models out. No file system, no terminal, no environment.

pub mod als;
pub mod als_merge;
pub mod error;
pub mod flp;
pub mod gzip;
pub mod project;
pub mod semdiff;

pub use error::FormatError;
pub use project::{Project, ProjectFormat, Summary, parse_project};
pub use semdiff::{Change, diff};
