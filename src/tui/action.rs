//! Everything that can change the reader's state, as one enum: [`super::app::App::update`]
//! takes an [`Action`] and is the only place state changes.
//!
//! Key bindings name actions by their snake_case name (see `assets/keymap.toml`); terminal
//! events and worker results become actions in [`super::event`]. Worker results carry data that
//! is never written down, so they are skipped by serde.

use super::editor::EditKey;
use super::keymap::Key;
use super::worker::Response;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave the reader, saving positions and panes.
    Quit,
    /// Move the cursor (or the selection in a list) one row down.
    Down,
    /// Move the cursor (or the selection in a list) one row up.
    Up,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    /// Go to the beginning (of the document or list).
    Top,
    /// Go to the end (of the document or list).
    Bottom,
    NextParagraph,
    PreviousParagraph,
    NextSentence,
    PreviousSentence,
    /// Word motions: words as jieba segments them (across scripts).
    NextWord,
    PreviousWord,
    WordEnd,
    /// Jump to the count's percentage of the document (`50%`).
    JumpPercent,
    /// Open the command line (`:N`, `:vsplit`, `:close`, `:grep WORD`, `:q`).
    CommandLine,
    /// Search the focused document.
    Search,
    SearchNext,
    SearchPrevious,
    /// Search the whole library.
    Grep,
    /// Toggle synchronized scrolling of all panes.
    ToggleSync,
    /// Toggle folded noise: hidden, or shown dimmed.
    ToggleNoise,
    /// Open the library in the focused pane.
    OpenLibrary,
    /// Pick a document for a new pane.
    Split,
    FocusNext,
    FocusPrevious,
    ClosePane,
    Help,
    /// The themes of the passage under the cursor: accept, reject, add, follow.
    ThemeList,
    /// Every pane to its next (previous) passage carrying the theme followed.
    NextTheme,
    PreviousTheme,
    /// Show only the passages of the theme followed in this pane (again: everything).
    FilterTheme,
    /// The passages of other documents most like the one under the cursor.
    Related,
    /// Accept the selected suggestion (it becomes a tag).
    Accept,
    /// Reject the selected theme (hidden, remembered).
    Reject,
    /// Clear the decision on the selected theme (back to the tagger's suggestion).
    ClearDecision,
    /// Open the documents × themes matrix.
    OpenMatrix,
    /// Compare the followed theme (else the passage's) across the documents.
    OpenCompare,
    /// Move to the column on the left (matrix, compare view).
    Left,
    /// Move to the column on the right.
    Right,
    /// Start (or end) a selection at the cursor; by whole paragraphs.
    Visual,
    VisualParagraphs,
    /// Highlight the selection (yellow), or in one of the five colours.
    Highlight,
    HighlightYellow,
    HighlightGreen,
    HighlightBlue,
    HighlightPink,
    HighlightPurple,
    /// Highlight the selection and write a note on it.
    Annotate,
    /// Tag the selection (a theme, or free text).
    TagSelection,
    /// Copy the selection to the system clipboard (OSC 52).
    Copy,
    /// Selection motions: the end of the sentence (with its 。！？ and quotes), of the clause.
    SentenceEnd,
    ClauseEnd,
    PreviousClause,
    /// Delete the annotation under the cursor.
    DeleteAnnotation,
    /// Move an annotation: its span selected, for the motions to adjust; `Enter` puts it there.
    MoveAnnotation,
    /// Undo / redo the last change to annotations and theme decisions.
    Undo,
    Redo,
    /// Open the selected entry of a list.
    Select,
    /// Remove the selected document (asks first).
    Remove,
    /// Type a filter for the list.
    Filter,
    /// Import a file or folder: asks for its path (Tab completes it).
    Import,
    /// Import the demo texts into the library.
    ImportDemo,
    /// Open the themes view: the library's codebook.
    OpenThemes,
    /// Add a theme: to a passage (from the codebook), or to the codebook (themes view; on a
    /// term: add it as a keyword of the selected theme).
    AddTheme,
    RenameTheme,
    RecolorTheme,
    /// Themes view: add or remove keywords of the selected theme.
    ThemeKeywords,
    /// Themes view: merge the selected theme into one picked next.
    MergeTheme,
    /// Themes view: the library's uncovered terms.
    DiscoverTerms,
    /// Themes view: the focused pane's document's uncovered terms.
    DiscoverDocumentTerms,
    /// Themes view: a new theme (on a term: with the term as its keyword).
    NewTheme,
    /// Open the annotations view: every annotation of the library.
    OpenAnnotations,
    /// Open the export dialog: format, scope, file.
    OpenExport,
    /// Annotations view: the next colour filter (after the last: all colours).
    CycleColor,
    /// Annotations view: the next tag filter (after the last: all tags).
    CycleTag,
    /// Annotations view: by place / newest first.
    ToggleSort,
    /// Annotations view: the focused pane's document only / the whole library.
    ToggleDocument,
    /// Annotations view: the drifted annotations' review queue / all.
    ReviewDrifted,
    /// Close the current view or overlay (in the reader: clear the search highlight).
    Back,
    /// A digit of a count (`50%`, `3j`).
    Count(u8),
    /// A character typed into the prompt or filter.
    Input(char),
    /// Delete the last character of the prompt or filter.
    Backspace,
    /// Delete the character under a field's cursor.
    Delete,
    /// Complete the path typed in the prompt (Tab).
    #[serde(skip)]
    Complete,
    /// Finish the prompt (Enter).
    Submit,
    /// The terminal has this many columns and rows.
    Resize(u16, u16),
    /// The mouse wheel turned over a column and row: down if positive.
    Wheel {
        column: u16,
        row: u16,
        delta: i8,
    },
    /// A mouse click at a column and row.
    Click {
        column: u16,
        row: u16,
    },
    /// The mouse dragged with its button down to a column and row.
    Drag {
        column: u16,
        row: u16,
    },
    /// The keys typed so far of a longer binding (`]` of `]t`); empty: a sequence given up.
    #[serde(skip)]
    Pending(Vec<Key>),
    /// A key in the note editor.
    #[serde(skip)]
    Edit(EditKey),
    /// The user's own editor saved the note (or failed, with why).
    #[serde(skip)]
    NoteEdited(Result<String, String>),
    /// The worker answered.
    #[serde(skip)]
    Worker(Response),
}

impl Action {
    /// What a bindable action does, for the help overlay and the README.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::Quit => "quit (positions and panes are saved)",
            Action::Down => "next line / next entry",
            Action::Up => "previous line / previous entry",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::PageDown => "a page down",
            Action::PageUp => "a page up",
            Action::Top => "beginning",
            Action::Bottom => "end",
            Action::NextParagraph => "next paragraph",
            Action::PreviousParagraph => "previous paragraph",
            Action::NextSentence => "next sentence (after 。！？)",
            Action::PreviousSentence => "previous sentence",
            Action::NextWord => "next word (words as jieba segments them)",
            Action::PreviousWord => "previous word",
            Action::WordEnd => "end of the word",
            Action::JumpPercent => "with a count: go to N% of the document",
            Action::CommandLine => {
                "command: :N paragraph, :vsplit, :close, :grep WORD, :theme NAME, :export [FORMAT PATH], :backup, :q"
            }
            Action::Search => "search this document",
            Action::SearchNext => "next match",
            Action::SearchPrevious => "previous match",
            Action::Grep => "search the whole library",
            Action::ToggleSync => "synchronized scrolling on/off",
            Action::ToggleNoise => "folded noise hidden / shown dimmed",
            Action::OpenLibrary => "library: open a document here",
            Action::Split => "open a document in a new pane",
            Action::FocusNext => "focus the next pane",
            Action::FocusPrevious => "focus the previous pane",
            Action::ClosePane => "close this pane",
            Action::Help => "this help",
            Action::Visual => "select from the cursor (again: stop)",
            Action::VisualParagraphs => "select whole paragraphs",
            Action::Highlight => "highlight the selection",
            Action::HighlightYellow => "highlight in yellow",
            Action::HighlightGreen => "highlight in green",
            Action::HighlightBlue => "highlight in blue",
            Action::HighlightPink => "highlight in pink",
            Action::HighlightPurple => "highlight in purple",
            Action::Annotate => "highlight and write a note",
            Action::TagSelection => "tag the selection (a theme, or any word)",
            Action::Copy => "copy the selection to the clipboard (OSC 52)",
            Action::SentenceEnd => "to the end of the sentence (its 。！？ and quotes)",
            Action::ClauseEnd => "to the end of the clause (，；：)",
            Action::PreviousClause => "back to the start of the clause",
            Action::DeleteAnnotation => "delete the annotation under the cursor",
            Action::MoveAnnotation => {
                "move the annotation under the cursor: adjust its selection, Enter puts it there"
            }
            Action::Undo => "undo (annotations and theme decisions, also after a restart)",
            Action::Redo => "redo",
            Action::ThemeList => "themes of this passage: accept, reject, add, follow one",
            Action::NextTheme => "every pane: next passage with the theme followed",
            Action::PreviousTheme => "every pane: previous passage with the theme followed",
            Action::FilterTheme => {
                "only the theme followed's passages here, the rest folded (again: all)"
            }
            Action::Related => "related passages in the other documents",
            Action::Accept => "accept the suggestion (it becomes a tag)",
            Action::Reject => "reject the theme (hidden, remembered)",
            Action::ClearDecision => "clear the decision (back to the suggestion)",
            Action::OpenMatrix => "the documents × themes matrix",
            Action::OpenCompare => {
                "compare a theme across the documents (the one followed, else the passage's)"
            }
            Action::Left => "column on the left",
            Action::Right => "column on the right",
            Action::Select => "open the selected entry",
            Action::Remove => "remove the selected document (asks first)",
            Action::Filter => "filter the list",
            Action::Import => "import a file or folder (asks for its path; Tab completes)",
            Action::ImportDemo => "import the demo texts",
            Action::OpenThemes => "themes: edit the library's codebook",
            Action::AddTheme => "add a theme (on a term: as a keyword of the selected theme)",
            Action::RenameTheme => "rename the theme (Simplified, Traditional and English names)",
            Action::RecolorTheme => "recolour the theme (#rrggbb; Enter takes the next colour)",
            Action::ThemeKeywords => "add keywords to the theme (-term removes one)",
            Action::MergeTheme => "merge the theme into another (pick it, Enter)",
            Action::DiscoverTerms => "uncovered terms of the library",
            Action::DiscoverDocumentTerms => "uncovered terms of the focused document",
            Action::NewTheme => "on a term: a new theme with it as its keyword",
            Action::OpenAnnotations => "annotations: every highlight and note of the library",
            Action::OpenExport => "export notes: format, scope, file (a dialog)",
            Action::CycleColor => "next colour filter (then all colours)",
            Action::CycleTag => "next tag filter (then all tags)",
            Action::ToggleSort => "sort by place / newest first",
            Action::ToggleDocument => "this document only / the whole library",
            Action::ReviewDrifted => "review the drifted annotations (again: all)",
            Action::Back => "close / cancel",
            Action::Count(_) => "count",
            Action::Input(_) => "type",
            Action::Backspace => "delete a character",
            Action::Delete => "delete the character under the cursor",
            Action::Submit => "confirm",
            Action::Resize(..)
            | Action::Wheel { .. }
            | Action::Click { .. }
            | Action::Drag { .. }
            | Action::Pending(_)
            | Action::Complete
            | Action::Edit(_)
            | Action::NoteEdited(_)
            | Action::Worker(_) => "",
        }
    }
}
