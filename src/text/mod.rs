//! Text analysis that knows nothing of storage or terminals: script detection, and later
//! width, line breaking, segmentation and script folding.

pub mod script;
