//! A producer's day, end to end: init, twenty commits across three branches with switches between
//! them, a tag, a file restored from an old commit, a reset and an undo. After every step the
//! project folder is compared file by file (content hashes) with what the producer expects, and
//! `daw fsck --read-data` must pass.

use std::collections::BTreeMap;

use crate::common::{TestEnv, pseudo_random};

/// What the producer expects on disk: path → bytes.
type Model = BTreeMap<String, Vec<u8>>;

struct Day {
    env: TestEnv,
    /// The files as they should be now.
    now: Model,
    /// The files of every commit made, by id.
    commits: BTreeMap<String, Model>,
    step: usize,
}

fn hashes_of_model(m: &Model) -> BTreeMap<String, String> {
    m.iter()
        .map(|(p, b)| (p.clone(), blake3::hash(b).to_hex().to_string()))
        .collect()
}

fn hashes_on_disk(root: &std::path::Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for rel in crate::common::files_below(root) {
        let name = rel.to_string_lossy().into_owned();
        if name.starts_with(".daw/") {
            continue;
        }
        let bytes = std::fs::read(root.join(&rel)).unwrap();
        out.insert(name, blake3::hash(&bytes).to_hex().to_string());
    }
    out
}

impl Day {
    fn write(&mut self, rel: &str, data: Vec<u8>) {
        self.env.write(rel, &data);
        self.now.insert(rel.to_string(), data);
    }

    fn remove(&mut self, rel: &str) {
        std::fs::remove_file(self.env.project.join(rel)).unwrap();
        self.now.remove(rel);
    }

    /// Runs a daw command that must succeed, then checks the folder and the repository.
    #[track_caller]
    fn step(&mut self, args: &[&str]) -> String {
        let r = self.env.run(args);
        r.ok();
        self.check(args);
        r.stdout
    }

    #[track_caller]
    fn check(&mut self, what: &[&str]) {
        self.step += 1;
        assert_eq!(
            hashes_on_disk(&self.env.project),
            hashes_of_model(&self.now),
            "step {} (daw {what:?}): the folder is not what the producer expects",
            self.step
        );
        let f = self.env.run(&["fsck", "--read-data"]);
        assert_eq!(
            f.status, 0,
            "step {} (daw {what:?}): fsck failed:\n{}{}",
            self.step, f.stdout, f.stderr
        );
        assert!(f.stdout.contains("No problems found."), "{}", f.stdout);
    }

    fn commit(&mut self, message: &str) -> String {
        self.step(&["commit", "-m", message]);
        let id = self.env.head_id();
        self.commits.insert(id.clone(), self.now.clone());
        id
    }

    fn switch(&mut self, args: &[&str], to: &str) {
        let mut full = vec!["switch"];
        full.extend_from_slice(args);
        self.now = self.commits[to].clone();
        self.step(&full);
    }
}

fn audio(seed: u64, kb: usize) -> Vec<u8> {
    pseudo_random(seed, kb * 1000)
}

fn set(tempo: u32, tracks: u32) -> Vec<u8> {
    format!("<Ableton><LiveSet tempo=\"{tempo}\" tracks=\"{tracks}\"/></Ableton>").into_bytes()
}

#[test]
fn a_producers_day() {
    let mut day = Day {
        env: TestEnv::new(),
        now: Model::new(),
        commits: BTreeMap::new(),
        step: 0,
    };
    day.write("Song.als", set(120, 4));
    day.write("Samples/kick.wav", audio(1, 300));
    day.write("Samples/snare.wav", audio(2, 200));
    day.write("Notes.txt", b"verse, chorus, verse".to_vec());
    day.step(&[
        "init",
        "--kdf-memory-kib",
        "256",
        "--kdf-iterations",
        "1",
        "--insecure-test-kdf",
    ]);

    // Morning on main: the beat.
    let m1 = day.commit("Beat");
    day.write("Song.als", set(122, 5));
    day.write("Samples/hat.wav", audio(3, 100));
    day.commit("Hats");
    day.write("Song.als", set(122, 6));
    day.write("Samples/Recorded/clap.wav", audio(4, 150));
    let m3 = day.commit("Clap recorded");

    // A branch for mix ideas.
    let r = day.step(&["switch", "-c", "mix ideas"]);
    assert_eq!(r, "Switched to a new branch 'mix ideas'.\n");
    day.write("Song.als", set(122, 7));
    day.write("Samples/bass.wav", audio(5, 400));
    let x1 = day.commit("Bass idea");
    day.write("Song.als", set(124, 7));
    day.commit("Faster");
    day.remove("Samples/hat.wav");
    day.write("Song.als", set(124, 6));
    let x3 = day.commit("No hats");

    // Back to main for more work.
    day.switch(&["main"], &m3);
    day.write("Notes.txt", b"intro, verse, chorus, verse, outro".to_vec());
    day.write("Samples/kick.wav", audio(6, 300));
    day.write("Samples/snare.wav", audio(14, 200));
    day.commit("New kick and snare");
    day.write("Song.als", set(122, 8));
    let m5 = day.commit("Arrangement");
    let r = day.step(&["tag", "v1 demo", "-m", "sent to Anna"]);
    assert!(r.starts_with("Tagged "), "{r}");

    // A vocals branch from the tag.
    day.switch(&["-c", "vocals", "v1 demo"], &m5);
    day.write("Vocals/take 1.wav", audio(7, 500));
    day.write("Song.als", set(122, 9));
    day.commit("Vocal take 1");
    day.write("Vocals/take 2.wav", audio(8, 500));
    day.commit("Vocal take 2");
    day.remove("Vocals/take 1.wav");
    day.write(
        "Song.als",
        set(122, 9).into_iter().chain(*b" comp").collect(),
    );
    let v3 = day.commit("Comped vocals");

    // Between branches.
    day.switch(&["mix ideas"], &x3);
    day.write("Samples/bass.wav", audio(9, 400));
    let x4 = day.commit("Bass re-recorded");
    day.switch(&["vocals"], &v3);
    day.write("Vocals/harmony.wav", audio(10, 300));
    let v4 = day.commit("Harmony");
    day.switch(&["main"], &m5);
    day.write("Song.als", set(123, 8));
    day.commit("Tempo nudge");

    // The snare from the very first commit was better: restore just that file.
    let old_snare = day.commits[&m1]["Samples/snare.wav"].clone();
    day.write_expected("Samples/snare.wav", old_snare);
    let r = day.step(&["restore", "--source", &m1, "Samples/snare.wav"]);
    assert!(r.starts_with("Restored from "), "{r}");
    let s = day.env.run(&["status", "--short"]);
    assert_eq!(s.stdout, "M Samples/snare.wav\n");
    let m7 = day.commit("Old snare back");

    // More on mix ideas and vocals.
    day.switch(&["mix ideas"], &x4);
    day.write("Song.als", set(126, 7));
    day.commit("Mix: louder");
    day.switch(&["vocals"], &v4);
    day.write("Vocals/harmony.wav", audio(11, 300));
    day.commit("Harmony fixed");
    day.switch(&["main"], &m7);
    day.write("Samples/Recorded/clap.wav", audio(12, 150));
    let m8 = day.commit("Clap again");
    day.write("Song.als", set(123, 9));
    day.commit("Final arrangement");
    day.write("Bounces/final mix.wav", audio(13, 600));
    let m10 = day.commit("Bounce");
    assert_eq!(day.commits.len(), 20, "twenty commits");

    // A reset --hard two commits back, then undo.
    let before_reset = day.now.clone();
    day.now = day.commits[&m8].clone();
    let r = day.step(&["reset", "--hard", "HEAD~2"]);
    assert!(r.starts_with("'main' is now at "), "{r}");
    day.now = before_reset;
    let r = day.step(&["undo"]);
    assert!(r.starts_with("Undid: reset branch 'main'"), "{r}");
    assert_eq!(day.env.head_id(), m10);

    // The day in the logs.
    let log = day.env.run(&["log", "--all", "--oneline"]);
    assert_eq!(log.stdout.lines().count(), 20, "{}", log.stdout);
    let ops: serde_json::Value =
        serde_json::from_str(&day.env.run(&["oplog", "--json"]).stdout).unwrap();
    assert!(ops.as_array().unwrap().len() >= 34);
    let branches = day.env.run(&["branch"]);
    assert_eq!(branches.stdout, "* main\n  mix ideas\n  vocals\n");
    let _ = x1;
}

impl Day {
    /// Records an expected change that a daw command (not the test) makes on disk.
    fn write_expected(&mut self, rel: &str, data: Vec<u8>) {
        self.now.insert(rel.to_string(), data);
    }
}
