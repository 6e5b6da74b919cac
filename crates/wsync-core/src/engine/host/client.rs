//! A blocking client of the host protocol, for the CLI.

use std::io::{BufRead, BufReader, Write};

use super::protocol::{Line, Reply, Request};
use super::socket_path;
use crate::error::{Error, Result};

pub struct Client {
    stream: std::os::unix::net::UnixStream,
}

/// Connect to a running host, if there is one.
pub fn connect() -> Option<Client> {
    std::os::unix::net::UnixStream::connect(socket_path()).ok().map(|stream| Client { stream })
}

impl Client {
    /// Send a request; `on_event` gets streamed sync events (as JSON).
    pub fn request(mut self, req: &Request, on_event: &mut dyn FnMut(serde_json::Value)) -> Result<Reply> {
        let mut text = serde_json::to_string(req).map_err(|e| Error::io("encoding the request", std::io::Error::other(e)))?;
        text.push('\n');
        self.stream.write_all(text.as_bytes()).map_err(|e| Error::io("talking to the sync engine", e))?;
        let reader = BufReader::new(&self.stream);
        for line in reader.lines() {
            let line = line.map_err(|e| Error::io("reading from the sync engine", e))?;
            match serde_json::from_str::<Line>(&line) {
                Ok(Line::Event(v)) => on_event(v),
                Ok(Line::Done(reply)) => return Ok(reply),
                Err(_) => continue,
            }
        }
        Err(Error::Busy("the sync engine closed the connection before answering; try again".into()))
    }
}
