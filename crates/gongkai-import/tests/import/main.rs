//! The importer end to end, one test binary for the crate (one link).

mod corpus;
mod general;
mod props;
mod roundtrip;
