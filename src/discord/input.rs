//! What a member sends: command options, `/admin` subcommands, and the fields
//! of the forms the bot opens.

use serenity::all::{
    ActionRowComponent, CommandDataOption, CommandDataOptionValue, CommandInteraction,
    CreateInputText, InputTextStyle, ModalInteraction, ResolvedValue,
};

use super::ids::option;

/// A string option of a top-level command.
pub fn string_option(cmd: &CommandInteraction, name: &str) -> Option<String> {
    cmd.data
        .options()
        .into_iter()
        .find_map(|option| match option.value {
            ResolvedValue::String(value) if option.name == name => Some(value.to_owned()),
            _ => None,
        })
}

/// A required one-line field of a form we send.
pub fn form_field(
    label: String,
    custom_id: &str,
    placeholder: String,
    max_length: u16,
) -> CreateInputText {
    CreateInputText::new(InputTextStyle::Short, label, custom_id)
        .placeholder(placeholder)
        .max_length(max_length)
        .required(true)
}

/// A text field of a submitted form.
pub fn modal_field(modal: &ModalInteraction, custom_id: &str) -> Option<String> {
    modal
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            ActionRowComponent::InputText(input) if input.custom_id == custom_id => {
                input.value.clone()
            }
            _ => None,
        })
}

/// The chosen subcommand and its options, read from the raw (id-carrying) options.
pub struct Invocation<'a> {
    pub name: &'a str,
    options: &'a [CommandDataOption],
}

impl<'a> Invocation<'a> {
    pub fn of(cmd: &'a CommandInteraction) -> Option<Invocation<'a>> {
        cmd.data
            .options
            .iter()
            .find_map(|option| match &option.value {
                CommandDataOptionValue::SubCommand(options) => Some(Invocation {
                    name: option.name.as_str(),
                    options,
                }),
                _ => None,
            })
    }

    fn value(&self, name: &str) -> Option<&'a CommandDataOptionValue> {
        self.options
            .iter()
            .find(|option| option.name == name)
            .map(|option| &option.value)
    }

    pub fn member(&self) -> Option<u64> {
        match self.value(option::MEMBER)? {
            CommandDataOptionValue::User(user) => Some(user.get()),
            _ => None,
        }
    }

    pub fn string(&self, name: &str) -> Option<&'a str> {
        match self.value(name)? {
            CommandDataOptionValue::String(value) => Some(value.as_str()),
            _ => None,
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(
            self.value(name),
            Some(CommandDataOptionValue::Boolean(true))
        )
    }

    pub fn channel(&self) -> Option<u64> {
        match self.value(option::CHANNEL)? {
            CommandDataOptionValue::Channel(channel) => Some(channel.get()),
            _ => None,
        }
    }
}
