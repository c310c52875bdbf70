//! Markdown → typst markup: the markup always parses.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| engage::fuzzing::markdown_to_typst(input));
