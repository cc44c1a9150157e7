//! gongkai-letters.
