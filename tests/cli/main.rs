//! All CLI tests compile into this one binary (one link, shared helpers); each module says what
//! belongs in it.

mod common;

mod test_bad_input;
mod test_basics;
mod test_concurrency;
mod test_music;
mod test_roundtrip;
mod test_security;
