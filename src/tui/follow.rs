//! Following a theme across the panes. Choosing a theme (`Enter` in a passage's theme list,
//! `:theme NAME`) sends every pane to its document's best passage for it; `]t` / `[t` then
//! step all panes together to their next / previous passage carrying it.

use super::app::App;
use crate::count::count;
use crate::doc::Script;

impl App {
    /// The name of theme `id` as the focused pane's document would write it.
    pub(super) fn theme_name(&self, id: &str) -> String {
        self.panes
            .iter()
            .filter_map(|p| {
                let script = p.document().map_or(Script::Simplified, |d| d.meta.script);
                Some(p.themes.as_deref()?.label(id)?.name_for(script).to_string())
            })
            .next()
            .unwrap_or_else(|| id.to_string())
    }

    /// The first theme of the passage under the focused pane's cursor.
    fn theme_here(&self) -> Option<String> {
        let pane = self.panes.get(self.focus)?;
        let themes = pane.themes.as_deref()?;
        let at = pane.document()?.to_stored(pane.cursor);
        Some(themes.on(themes.passage_at(at)?).next()?.id().to_string())
    }

    /// Follows theme `id`: every pane goes to its document's best passage for it, except a
    /// pane already on a passage carrying it (the passage it was chosen on stays in view).
    pub(super) fn follow_theme(&mut self, id: String) {
        let mut absent = Vec::new();
        for i in 0..self.panes.len() {
            let size = self.text_size(i);
            let pane = &mut self.panes[i];
            let (Some(doc), Some(themes)) = (pane.document(), pane.themes.as_deref()) else {
                continue;
            };
            let at = doc.to_stored(pane.cursor);
            if themes
                .passage_at(at)
                .is_some_and(|p| themes.carries(p, &id))
            {
                continue;
            }
            match themes.best(&id) {
                Some(best) => {
                    let offset = doc.to_view(themes.passages[best].start);
                    pane.jump(offset, size);
                }
                None => absent.push(doc.meta.title.clone()),
            }
        }
        let name = self.theme_name(&id);
        self.theme = Some(id);
        let mut text = format!("following {name}: ]t next · [t previous passage in every pane");
        if let Some(title) = absent.first() {
            text.push_str(&format!(" · not in «{title}»"));
        }
        self.set_status(text, false);
    }

    /// `F`: the focused pane shows only the passages of the theme followed (or of the first
    /// theme under the cursor, which becomes the one followed), the rest folded; again, all.
    pub(super) fn filter_theme(&mut self) {
        let size = self.text_size(self.focus);
        if self
            .panes
            .get(self.focus)
            .is_some_and(|p| p.filter.is_some())
        {
            self.panes[self.focus].set_filter(None, size);
            return self.set_status("showing every paragraph", false);
        }
        if self
            .panes
            .get(self.focus)
            .is_none_or(|p| p.themes.is_none())
        {
            return self.set_status(
                "the themes are still being read; try again in a moment",
                false,
            );
        }
        let Some(id) = self.theme.clone().or_else(|| self.theme_here()) else {
            return self.set_status(
                "no theme to filter by: t lists a passage's themes, Enter follows one",
                false,
            );
        };
        self.theme = Some(id.clone());
        let shown = self.panes[self.focus].set_filter(Some(id.clone()), size);
        let name = self.theme_name(&id);
        self.set_status(
            format!(
                "only {name}: {}, the rest folded · F shows all",
                count(shown, "passage")
            ),
            false,
        );
    }

    /// Stops following a theme.
    pub(super) fn unfollow_theme(&mut self) {
        if let Some(id) = self.theme.take() {
            let name = self.theme_name(&id);
            self.set_status(format!("no longer following {name}"), false);
        }
    }

    /// `:theme WORD`: follows the theme whose id or name matches (else says none does).
    pub(super) fn follow_named(&mut self, typed: &str) {
        let found = self
            .panes
            .iter()
            .filter_map(|p| p.themes.as_deref())
            .flat_map(|t| &t.labels)
            .find(|l| l.id == typed || l.matches(typed))
            .map(|l| l.id.clone());
        match found {
            Some(id) => self.follow_theme(id),
            None => self.set_status(format!("no theme matches «{typed}»"), true),
        }
    }

    /// `]t` / `[t`: every pane (`count` times) to its next / previous passage carrying the
    /// followed theme; without one, the first theme of the passage under the cursor becomes
    /// the followed theme.
    pub(super) fn step_theme(&mut self, forward: bool, count: usize) {
        let Some(id) = self.theme.clone().or_else(|| self.theme_here()) else {
            return self.set_status(
                "no theme to follow here: t lists a passage's themes, Enter follows one",
                false,
            );
        };
        self.theme = Some(id.clone());
        let mut place = None;
        for i in 0..self.panes.len() {
            let size = self.text_size(i);
            let pane = &mut self.panes[i];
            let (Some(doc), Some(themes)) = (pane.document(), pane.themes.as_deref()) else {
                continue;
            };
            let mut at = doc.to_stored(pane.cursor);
            let mut target = None;
            for _ in 0..count.max(1) {
                match themes.step(&id, at, forward) {
                    Some(p) => {
                        at = themes.passages[p].start;
                        target = Some(p);
                    }
                    None => break,
                }
            }
            let Some(p) = target else { continue };
            if i == self.focus {
                let all = (0..themes.passages.len())
                    .filter(|&k| themes.carries(k, &id))
                    .count();
                let rank = (0..=p).filter(|&k| themes.carries(k, &id)).count();
                place = Some((rank, all));
            }
            let offset = doc.to_view(at);
            pane.jump(offset, size);
        }
        let name = self.theme_name(&id);
        match place {
            Some((rank, all)) => {
                self.set_status(format!("{name}: passage {rank} of {all}"), false);
            }
            None => {
                let way = if forward { "after" } else { "before" };
                self.set_status(format!("no {name} passage {way} this one"), false);
            }
        }
    }
}
