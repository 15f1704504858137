//! The ASCII history graph of `daw log --graph`: one lane per line of descent, `*` for a commit,
//! `|` for a lane passing by, `\` and `/` where lanes fork and join (as `git log --graph` draws them).
//!
//! Commits must come in topological order (children before parents). Lanes move at most one column
//! per line, so a join across several lanes takes several lines.

use daw::object::ObjectId;

/// Lays out commits one at a time.
#[derive(Default)]
pub struct Graph {
    /// The commit each lane is waiting for.
    lanes: Vec<ObjectId>,
}

/// The lines drawn for one commit.
pub struct Rows {
    /// Lines before the commit (lanes joining into it).
    pub before: Vec<String>,
    /// The graph part of the commit's own line.
    pub commit: String,
    /// Lines after it (lanes forking to its parents, or ending).
    pub after: Vec<String>,
    /// The graph part of any further text lines of the commit.
    pub continuation: String,
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn next(&mut self, id: ObjectId, parents: &[ObjectId]) -> Rows {
        let mut before = Vec::new();
        let waiting: Vec<usize> = (0..self.lanes.len())
            .filter(|&k| self.lanes[k] == id)
            .collect();
        let col = match waiting.first() {
            Some(&c) => c,
            None => {
                self.lanes.push(id);
                self.lanes.len() - 1
            }
        };
        // Lanes that waited for this commit too join the first one.
        if waiting.len() > 1 {
            let mut edges = Vec::new();
            let mut new_lanes = Vec::new();
            for (k, lane) in self.lanes.iter().enumerate() {
                if k != col && *lane == id {
                    edges.push((k, usize::MAX));
                } else {
                    edges.push((k, new_lanes.len()));
                    new_lanes.push(*lane);
                }
            }
            let col_new = new_lanes
                .iter()
                .position(|l| *l == id)
                .expect("the commit's lane stays");
            for e in &mut edges {
                if e.1 == usize::MAX {
                    e.1 = col_new;
                }
            }
            before = transition(&edges);
            self.lanes = new_lanes;
        }
        let col = self
            .lanes
            .iter()
            .position(|l| *l == id)
            .expect("the commit has a lane");
        let commit = row(self.lanes.len(), |k| if k == col { '*' } else { '|' });

        // The commit's lane continues to its first parent; more parents fork new lanes to its right,
        // unless a lane already waits for them.
        let mut new_lanes: Vec<ObjectId> = Vec::new();
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let mut pending: Vec<(usize, ObjectId)> = Vec::new();
        for (k, lane) in self.lanes.iter().enumerate() {
            if k == col {
                for p in parents {
                    let elsewhere = self
                        .lanes
                        .iter()
                        .enumerate()
                        .any(|(j, l)| j != col && l == p);
                    if elsewhere || new_lanes.contains(p) {
                        pending.push((k, *p));
                    } else {
                        edges.push((k, new_lanes.len()));
                        new_lanes.push(*p);
                    }
                }
            } else {
                edges.push((k, new_lanes.len()));
                new_lanes.push(*lane);
            }
        }
        for (k, p) in pending {
            let m = new_lanes
                .iter()
                .position(|l| *l == p)
                .expect("a lane waits for it");
            edges.push((k, m));
        }
        let after = transition(&edges);
        // The commit's text lines up with the widest of its rows (`*   ` before a fork).
        let mut commit = commit;
        let width = 2 * new_lanes.len().max(self.lanes.len());
        while commit.len() < width {
            commit.push(' ');
        }
        self.lanes = new_lanes;
        let continuation = row(self.lanes.len(), |_| '|');
        Rows {
            before,
            commit,
            after,
            continuation,
        }
    }
}

/// `n` lanes drawn with `glyph(k)`, two columns per lane.
fn row(n: usize, glyph: impl Fn(usize) -> char) -> String {
    let mut s = String::with_capacity(2 * n);
    for k in 0..n {
        s.push(glyph(k));
        s.push(' ');
    }
    s
}

/// The lines that move lanes from old columns to new ones (edges `(from, to)`), one step per line.
fn transition(edges: &[(usize, usize)]) -> Vec<String> {
    let mut pos: Vec<(usize, usize)> = edges.to_vec();
    let mut lines = Vec::new();
    while pos.iter().any(|(cur, to)| cur != to) {
        let width = pos.iter().map(|(c, t)| (*c).max(*t)).max().unwrap_or(0) * 2 + 2;
        let mut line = vec![' '; width];
        for (cur, to) in pos.iter_mut() {
            if *cur == *to {
                if line[2 * *cur] == ' ' {
                    line[2 * *cur] = '|';
                }
            } else if *to > *cur {
                line[2 * *cur + 1] = '\\';
                *cur += 1;
            } else {
                line[2 * *cur - 1] = '/';
                *cur -= 1;
            }
        }
        lines.push(line.into_iter().collect::<String>().trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes([n; 32])
    }

    /// Draws a history given as (commit, parents) in topological order.
    fn draw(commits: &[(u8, &[u8])]) -> String {
        let mut g = Graph::new();
        let mut out = String::new();
        for (c, ps) in commits {
            let parents: Vec<ObjectId> = ps.iter().map(|p| id(*p)).collect();
            let rows = g.next(id(*c), &parents);
            for l in rows.before {
                out.push_str(&l);
                out.push('\n');
            }
            out.push_str(&format!("{}c{c}\n", rows.commit));
            for l in rows.after {
                out.push_str(&l);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn a_straight_line() {
        assert_eq!(
            draw(&[(3, &[2]), (2, &[1]), (1, &[])]),
            "* c3\n* c2\n* c1\n"
        );
    }

    #[test]
    fn a_merge_and_a_fork() {
        // 5 merges 4 (main) and 3 (feature); both come from 2.
        let out = draw(&[(5, &[4, 3]), (3, &[2]), (4, &[2]), (2, &[1]), (1, &[])]);
        assert_eq!(out, "*   c5\n|\\\n| * c3\n* | c4\n|/\n* c2\n* c1\n");
    }

    #[test]
    fn two_branch_tips_joining_at_their_base() {
        // --all: tips 4 (main) and 3 (mix) share 2.
        let out = draw(&[(4, &[2]), (3, &[2]), (2, &[1]), (1, &[])]);
        assert_eq!(out, "* c4\n| * c3\n|/\n* c2\n* c1\n");
    }

    #[test]
    fn a_lane_joining_across_another_takes_two_lines() {
        // 4 is a third tip whose parent (1) is the first lane's; the lane of 5 (waiting for 2) is in
        // between.
        let out = draw(&[(6, &[1]), (5, &[2]), (4, &[1]), (2, &[1]), (1, &[])]);
        assert_eq!(out, "* c6\n| * c5\n| | * c4\n| |/\n|/|\n| * c2\n|/\n* c1\n");
    }
}
