//! gongkai-app.
