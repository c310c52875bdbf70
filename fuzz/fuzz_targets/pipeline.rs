//! Load → validate → check → render Markdown of the samples, one data file replaced by the input.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &[u8]| engage::fuzzing::pipeline(input));
