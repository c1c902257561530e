//! The real `pizhu` binary in a pseudo-terminal: its output goes through a VT100 emulator
//! (the `vt100` crate) and tests read the emulated screen, polling with a timeout instead of
//! sleeping for fixed times. Included by the end-to-end tests with `#[path]`.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub const ROWS: u16 = 24;
pub const COLS: u16 = 100;
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// `pizhu` running in a pseudo-terminal, with the emulated screen it drew.
pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Box<dyn Write + Send>,
    pub output: Receiver<Vec<u8>>,
    pub parser: vt100::Parser,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    pub fn start(home: &Path, args: &[&str]) -> Session {
        Session::start_with(home, args, &[])
    }

    /// [`Session::start`] with more environment variables.
    pub fn start_with(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::start_in(Path::new(env!("CARGO_MANIFEST_DIR")), home, args, env)
    }

    /// [`Session::start_with`] in the folder `cwd` (where files are written by default).
    pub fn start_in(cwd: &Path, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pizhu"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("PIZHU_CONFIG", home.join("config.toml"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env_remove("PIZHU_DB");
        cmd.env_remove("NO_COLOR");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn pizhu");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            writer,
            output,
            parser: vt100::Parser::new(
                NonZeroU16::new(ROWS).expect("rows"),
                NonZeroU16::new(COLS).expect("columns"),
                0,
            ),
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Feeds output to the emulator until `ok` holds for the screen; panics after the timeout.
    pub fn wait_for(&mut self, what: &str, ok: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if ok(&self.screen()) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out waiting for {what}; the screen:\n{}",
                self.screen()
            );
            if let Ok(bytes) = self
                .output
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                self.parser.process(&bytes);
            }
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Waits for the program to end; returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            while let Ok(bytes) = self.output.try_recv() {
                self.parser.process(&bytes);
            }
            if let Some(status) = self.child.try_wait().expect("child status") {
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
                    self.parser.process(&bytes);
                }
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("pizhu did not quit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
