//! The portal pages `/login` offers: a label a member picks and the path the
//! one-time login link lands on.
//!
//! Paths are checked to stay relative to the portal, since a login link that
//! could redirect off the space's portal would hand a member's session to
//! whoever owns the other site.

/// Discord allows at most 25 choices on an option.
const MAX_PORTAL_PAGES: usize = 25;

/// One `/login` page choice: a label members pick and a validated relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPage {
    label: String,
    path: String,
    /// The configured path, `{lang}` kept: the language Nexudus announces at
    /// start-up may differ from `NEXUDUS_LANGUAGE`.
    template: String,
}

impl PortalPage {
    /// The choice label shown in Discord.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The relative portal path (`{lang}` already replaced).
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// The configured `/login` pages; never empty, at most 25 (Discord's choice limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPages(Vec<PortalPage>);

impl PortalPages {
    pub fn iter(&self) -> impl Iterator<Item = &PortalPage> {
        self.0.iter()
    }

    /// The page a member gets when they do not pick one: the first configured.
    pub fn default_page(&self) -> &PortalPage {
        &self.0[0]
    }

    /// The same pages with `{lang}` replaced by `lang` (the portal language
    /// discovered at start-up). A page whose path would stop being relative
    /// keeps its current path.
    pub fn with_language(&self, lang: &str) -> PortalPages {
        let pages = self
            .0
            .iter()
            .map(|page| {
                let path = page.template.replace("{lang}", lang);
                let path = if validate_relative_path(&path).is_ok() {
                    path
                } else {
                    page.path.clone()
                };
                PortalPage {
                    path,
                    ..page.clone()
                }
            })
            .collect();
        PortalPages(pages)
    }

    /// Finds a page by its exact label, as sent back by a choice option.
    pub fn by_label(&self, label: &str) -> Option<&PortalPage> {
        self.0.iter().find(|p| p.label == label)
    }

    /// Parses `label=path,label=path`, replacing `{lang}` in paths with `lang`.
    ///
    /// All problems are reported together, joined by `; `.
    pub fn parse(spec: &str, lang: &str) -> Result<PortalPages, String> {
        let mut pages: Vec<PortalPage> = Vec::new();
        let mut problems = Vec::new();
        for (index, entry) in spec.split(',').enumerate() {
            let entry = entry.trim();
            if entry.is_empty() {
                problems.push(format!("entry {} is empty", index + 1));
                continue;
            }
            let Some((label, path)) = entry.split_once('=') else {
                problems.push(format!("entry {} `{entry}` is not label=/path", index + 1));
                continue;
            };
            let (label, template) = (label.trim(), path.trim());
            let path = template.replace("{lang}", lang);
            if label.is_empty() || label.chars().count() > 100 {
                problems.push(format!(
                    "entry {} needs a label of 1 to 100 characters",
                    index + 1
                ));
                continue;
            }
            if let Err(why) = validate_relative_path(&path) {
                problems.push(format!("`{label}`: {why}"));
                continue;
            }
            if pages.iter().any(|p| p.label == label) {
                problems.push(format!("label `{label}` appears twice"));
                continue;
            }
            pages.push(PortalPage {
                label: label.to_owned(),
                path,
                template: template.to_owned(),
            });
        }
        if pages.len() > MAX_PORTAL_PAGES {
            problems.push(format!(
                "{} pages given, Discord offers at most {MAX_PORTAL_PAGES} choices",
                pages.len()
            ));
        }
        if problems.is_empty() && pages.is_empty() {
            problems.push("no page given".to_owned());
        }
        if problems.is_empty() {
            Ok(PortalPages(pages))
        } else {
            Err(problems.join("; "))
        }
    }
}

/// Checks that `path` can only ever point inside the portal it is appended to.
pub fn validate_relative_path(path: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') {
        return Err("path must start with /");
    }
    if path.starts_with("//") {
        return Err("path must not start with // (that would leave the portal)");
    }
    if path.contains('\\') {
        return Err("path must not contain a backslash");
    }
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("path must not contain spaces or control characters");
    }
    if path.contains("://") {
        return Err("path must be relative, not a full URL");
    }
    if path.len() > 512 {
        return Err("path is longer than 512 characters");
    }
    Ok(())
}
