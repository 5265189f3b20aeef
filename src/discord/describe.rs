//! Command and option descriptions from the catalogue. A leaf: every command
//! family uses it, and it uses none of them.

use serenity::all::{CreateCommand, CreateCommandOption};

use crate::i18n::{Catalogue, Locale};

/// A command's or option's description from the catalogue: English as the
/// plain `description`, every other locale in `description_localizations`.
pub trait Describe: Sized {
    fn describe(self, id: &str) -> Self;
}

impl Describe for CreateCommand {
    fn describe(self, id: &str) -> CreateCommand {
        let catalogue = Catalogue::get();
        let command = self.description(catalogue.format(Locale::FALLBACK, id, None));
        catalogue
            .description_localizations(id)
            .into_iter()
            .fold(command, |command, (code, text)| {
                command.description_localized(code, text)
            })
    }
}

impl Describe for CreateCommandOption {
    fn describe(self, id: &str) -> CreateCommandOption {
        let catalogue = Catalogue::get();
        let option = self.description(catalogue.format(Locale::FALLBACK, id, None));
        catalogue
            .description_localizations(id)
            .into_iter()
            .fold(option, |option, (code, text)| {
                option.description_localized(code, text)
            })
    }
}
