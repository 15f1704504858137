//! Pure file-format code: bytes in, models out. No file system, no terminal, no environment.
pub mod gzip;
