//! Shared helpers for the integration tests: run the real `pizhu` binary on a library in a
//! temporary folder, and reach the fixtures.
#![allow(dead_code)]

pub mod harness;

use assert_cmd::Command;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The five sample texts in `tests/fixtures/`.
pub const FIXTURES: &[&str] = &[
    "keji-chanye-ronghe-dangke.zh-Hans.txt",
    "quanqiu-keji-xiezuo.zh-Hans.txt",
    "ronghe-zhongguoshi-xiandaihua.zh-Hans.txt",
    "shanghai-kechuang-zhongxin.zh-Hant.txt",
    "wuda-chuangxin-zhanyi.zh-Hant.txt",
];

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture")
}

/// A temporary folder with a library path in it.
pub struct Lib {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Lib {
    pub fn new() -> Lib {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("library.db");
        Lib { dir, db }
    }

    /// `pizhu --db <library> ARGS…`, isolated from the user's environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = pizhu();
        cmd.arg("--db").arg(&self.db).args(args);
        cmd
    }

    /// Runs a command that must succeed and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("run pizhu");
        assert!(
            out.status.success(),
            "pizhu {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs a command with `--json` output and parses it.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The `pizhu` binary with an environment that cannot reach the user's own library.
pub fn pizhu() -> Command {
    Command::from_std(pizhu_std())
}

/// The `pizhu` binary as a `std::process::Command` (to spawn it and kill it midway).
pub fn pizhu_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pizhu"));
    cmd.env_remove("PIZHU_DB")
        .env("XDG_DATA_HOME", "/nonexistent/pizhu-test-data")
        .env("XDG_CONFIG_HOME", "/nonexistent/pizhu-test-config")
        .env("NO_COLOR", "1");
    cmd
}

/// True when the tests run as root, who can read any file whatever its permissions.
pub fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(1)
        == 0
}

/// `pizhu ARGS…` as an unprivileged user when the tests run as root, so that file
/// permissions apply to it (root reads and writes everything).
pub fn pizhu_unprivileged(args: &[&std::ffi::OsStr]) -> Command {
    use std::os::unix::process::CommandExt as _;
    let mut cmd = pizhu_std();
    if running_as_root() {
        cmd.uid(65534).gid(65534);
    }
    cmd.args(args);
    Command::from_std(cmd)
}

/// Lets everybody into `dir` (tempdirs are private), for the unprivileged runs.
pub fn open_up(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
}
