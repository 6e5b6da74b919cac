//! Questions at a terminal: arrow-key choices and hidden password entry
//! (dialoguer) when stdin is a terminal, and plain lines otherwise (a
//! script or a test answering on stdin). A secret is never echoed.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Result};

pub enum Prompter {
    Tty,
    Plain(Box<dyn BufRead>),
}

impl Prompter {
    /// The terminal when there is one, else plain lines from stdin.
    pub fn for_stdin() -> Prompter {
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            Prompter::Tty
        } else {
            Prompter::Plain(Box::new(std::io::BufReader::new(std::io::stdin())))
        }
    }

    fn read_line(input: &mut dyn BufRead) -> Result<String> {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            bail!("setup stopped: no more answers on standard input (run it at a terminal)");
        }
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }

    /// A text answer; `default` is taken on Enter.
    pub fn ask(&mut self, question: &str, default: Option<&str>) -> Result<String> {
        match self {
            Prompter::Tty => {
                let theme = dialoguer::theme::ColorfulTheme::default();
                let mut input = dialoguer::Input::<String>::with_theme(&theme).with_prompt(question).allow_empty(default.is_some());
                if let Some(d) = default.filter(|d| !d.is_empty()) {
                    input = input.default(d.to_string());
                }
                let answer = input.interact_text()?;
                Ok(if answer.trim().is_empty() { default.unwrap_or("").to_string() } else { answer.trim().to_string() })
            }
            Prompter::Plain(input) => loop {
                match default {
                    Some(d) if !d.is_empty() => eprint!("{question} [{d}]: "),
                    _ => eprint!("{question}: "),
                }
                std::io::stderr().flush().ok();
                let answer = Self::read_line(input.as_mut())?.trim().to_string();
                if !answer.is_empty() {
                    return Ok(answer);
                }
                if let Some(d) = default {
                    return Ok(d.to_string());
                }
                eprintln!("  please answer (this one has no default)");
            },
        }
    }

    /// An optional answer (Enter skips it).
    pub fn optional(&mut self, question: &str) -> Result<Option<String>> {
        let a = self.ask(&format!("{question} (Enter to skip)"), Some(""))?;
        Ok((!a.is_empty()).then_some(a))
    }

    /// A secret, never echoed (hidden at a terminal; read as a line
    /// otherwise). Empty means "skip" when `optional`.
    pub fn secret(&mut self, question: &str, optional: bool) -> Result<Option<String>> {
        let answer = match self {
            Prompter::Tty => dialoguer::Password::with_theme(&dialoguer::theme::ColorfulTheme::default())
                .with_prompt(question)
                .allow_empty_password(optional)
                .interact()?,
            Prompter::Plain(input) => {
                eprint!("{question}{}: ", if optional { " (Enter to skip)" } else { "" });
                std::io::stderr().flush().ok();
                Self::read_line(input.as_mut())?
            }
        };
        Ok((!answer.is_empty()).then_some(answer))
    }

    /// One of `choices` (keys), shown with their labels; `default` on
    /// Enter. `what` names a choice in the refusal ("a provider").
    pub fn choose(&mut self, question: &str, what: &str, choices: &[(&str, String)], default: &str) -> Result<String> {
        match self {
            Prompter::Tty => {
                let labels: Vec<String> = choices.iter().map(|(k, label)| format!("{label} ({k})")).collect();
                let start = choices.iter().position(|(k, _)| *k == default).unwrap_or(0);
                let i = dialoguer::Select::with_theme(&dialoguer::theme::ColorfulTheme::default())
                    .with_prompt(question)
                    .items(&labels)
                    .default(start)
                    .interact()?;
                Ok(choices[i].0.to_string())
            }
            Prompter::Plain(_) => {
                let keys: Vec<&str> = choices.iter().map(|(k, _)| *k).collect();
                let answer = self.ask(&format!("{question} ({})", keys.join(", ")), Some(default))?;
                if !keys.contains(&answer.as_str()) {
                    bail!("\"{answer}\" is not {what}; run `wsync setup` again and choose one of {}", keys.join(", "));
                }
                Ok(answer)
            }
        }
    }

    pub fn yes(&mut self, question: &str, default: bool) -> Result<bool> {
        match self {
            Prompter::Tty => Ok(dialoguer::Confirm::with_theme(&dialoguer::theme::ColorfulTheme::default())
                .with_prompt(question)
                .default(default)
                .interact()?),
            Prompter::Plain(_) => {
                let a = self.ask(&format!("{question} [y/n]"), Some(if default { "y" } else { "n" }))?;
                Ok(a.to_ascii_lowercase().starts_with('y'))
            }
        }
    }
}
