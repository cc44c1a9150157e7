//! The importer end to end, one test binary for the crate (one link).

mod corpus;
mod crawl;
mod general;
mod identity;
mod limits;
mod lines;
mod props;
mod roundtrip;
