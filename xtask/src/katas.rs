//! Where katas are and what they say about themselves.
//!
//! Each kata declares its metadata once, in `katas/NN-slug/kata.toml`; its
//! reference crate sits at `solutions/NN-slug`. Nothing else lists the katas:
//! adding a directory adds a kata.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The metadata of one kata, exactly as written in its `kata.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub number: u32,
    pub slug: String,
    pub title: String,
    pub level: Level,
    pub track: String,
    /// No longer used: it named documents that are not in the repository.
    /// Still read, so that an old `kata.toml` gets `verify`'s clear
    /// message instead of a parse error.
    #[serde(default)]
    pub source: Option<String>,
    pub question: String,
    /// Gentlest first; `cargo xtask hint` reveals one more each time.
    pub hints: Vec<String>,
}

/// The difficulty levels of the curriculum.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub enum Level {
    #[serde(rename = "B")]
    Basic,
    #[serde(rename = "I")]
    Intermediate,
    #[serde(rename = "A")]
    Advanced,
}

impl Level {
    /// The curriculum's letter for the level, as written in `kata.toml`.
    pub fn letter(self) -> &'static str {
        match self {
            Level::Basic => "B",
            Level::Intermediate => "I",
            Level::Advanced => "A",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Basic => "basic",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        })
    }
}

/// One kata: its metadata and where its files are.
#[derive(Debug, Clone)]
pub struct Kata {
    pub meta: Meta,
    /// `katas/NN-slug`: the learner's crate.
    pub dir: PathBuf,
    /// `solutions/NN-slug`: the reference crate and its pitfalls.
    pub solution_dir: PathBuf,
}

impl Kata {
    /// `NN-slug`, the name of both directories.
    pub fn dir_name(&self) -> String {
        format!("{:02}-{}", self.meta.number, self.meta.slug)
    }

    /// The kata's package name (what `cargo test -p` takes).
    pub fn package(&self) -> &str {
        &self.meta.slug
    }

    /// The reference crate's package name.
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.meta.slug)
    }

    /// The library name shared by the kata and its solution.
    pub fn lib_name(&self) -> String {
        self.meta.slug.replace('-', "_")
    }

    /// The one test file, run against both crates.
    pub fn test_file(&self) -> PathBuf {
        self.dir
            .join("tests")
            .join(format!("{}.rs", self.lib_name()))
    }

    /// The file the learner edits.
    pub fn lib_file(&self) -> PathBuf {
        self.dir.join("src").join("lib.rs")
    }

    /// The reference solution, which a classroom copy leaves out.
    pub fn solution_file(&self) -> PathBuf {
        self.solution_dir.join("src").join("lib.rs")
    }

    pub fn pitfalls_dir(&self) -> PathBuf {
        self.solution_dir.join("pitfalls")
    }

    /// `01 why-async`, as the runner names a kata in its output.
    pub fn label(&self) -> String {
        format!("{:02} {}", self.meta.number, self.meta.slug)
    }
}

/// All katas under `root/katas`, in curriculum order.
pub fn discover(root: &Path) -> Result<Vec<Kata>> {
    let katas_dir = root.join("katas");
    let entries = std::fs::read_dir(&katas_dir)
        .with_context(|| format!("cannot read the kata directory {}", katas_dir.display()))?;
    let mut katas = Vec::new();
    for entry in entries {
        let dir = entry?.path();
        let meta_file = dir.join("kata.toml");
        if !meta_file.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&meta_file)
            .with_context(|| format!("cannot read {}", meta_file.display()))?;
        let meta: Meta = toml::from_str(&text)
            .with_context(|| format!("{} is not valid kata metadata", meta_file.display()))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let solution_dir = root.join("solutions").join(name.unwrap_or_default());
        katas.push(Kata {
            meta,
            dir,
            solution_dir,
        });
    }
    katas.sort_by_key(|kata| kata.meta.number);
    Ok(katas)
}

/// Finds a kata by number (`7`, `07`), slug (`promise`) or directory (`07-promise`).
pub fn find<'a>(katas: &'a [Kata], name: &str) -> Result<&'a Kata> {
    let name = name.trim().trim_end_matches('/');
    let name = name.rsplit('/').next().unwrap_or(name);
    let by_number = name.parse::<u32>().ok();
    let found = katas.iter().find(|kata| {
        Some(kata.meta.number) == by_number || kata.meta.slug == name || kata.dir_name() == name
    });
    if let Some(kata) = found {
        return Ok(kata);
    }
    let suggestion = katas
        .iter()
        .find(|kata| kata.meta.slug.contains(name) || name.contains(kata.meta.slug.as_str()))
        .map(|kata| format!(" Did you mean `{}`?", kata.meta.slug))
        .unwrap_or_default();
    bail!(
        "there is no kata `{name}`.{suggestion} `cargo xtask list` shows all {} katas.",
        katas.len()
    )
}

/// The workspace the user stands in, found from the current directory as
/// cargo finds it: the nearest directory above with a `Cargo.toml` that has a
/// `[workspace]` and a `katas/` beside it. Never the checkout the runner was
/// built from: two clones can share one target directory (and so one
/// binary), and `reset` in one must not touch the other.
pub fn workspace_root() -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|dir| root_above(&dir))
        // Outside any kata workspace: the one this runner belongs to.
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("xtask lives one level below the workspace root")
                .to_path_buf()
        })
}

fn root_above(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let is_root = manifest.lines().any(|l| l.trim() == "[workspace]");
        (is_root && dir.join("katas").is_dir()).then(|| dir.to_path_buf())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_from_any_directory_below_it() {
        let base = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let deep = base.join("katas").join("01-x").join("src");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(base.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(
            base.join("katas/01-x/Cargo.toml"),
            "[package]\nname = \"x\"\n",
        )
        .unwrap();
        assert_eq!(root_above(&deep), Some(base.clone()));
        assert_eq!(root_above(&base), Some(base.clone()));
        assert_eq!(root_above(Path::new("/")), None);
        let _ = std::fs::remove_dir_all(&base);
    }
}
