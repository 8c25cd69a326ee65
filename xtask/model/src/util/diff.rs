//! A line diff in unified format (`---`/`+++`, `@@` hunks with 3 lines of context), by
//! Myers' algorithm: the shortest edit script, as `diff -u` prints it. No crate needed
//! for files of a few hundred lines.

const CONTEXT: usize = 3;

/// Past this many differing lines, the files are shown as replaced wholesale: Myers
/// keeps a trace that grows with the square of the difference.
const MAX_EDITS: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    /// Old line, new line: the same text.
    Keep(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The unified diff from `old` to `new`, or `None` when they are the same.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = edit_script(&a, &b);
    let mut text = format!("--- {old_name}\n+++ {new_name}\n");
    for (start, end) in hunks(&ops) {
        let (mut old_start, mut new_start) = position(&ops, start);
        let slice = &ops[start..end];
        let old_count = slice
            .iter()
            .filter(|op| !matches!(op, Op::Insert(_)))
            .count();
        let new_count = slice
            .iter()
            .filter(|op| !matches!(op, Op::Delete(_)))
            .count();
        // diff -u numbers an empty side by the line before it.
        old_start += usize::from(old_count > 0);
        new_start += usize::from(new_count > 0);
        text += &format!("@@ -{old_start},{old_count} +{new_start},{new_count} @@\n");
        for op in slice {
            let (mark, line) = match *op {
                Op::Keep(i, _) => (' ', a[i]),
                Op::Delete(i) => ('-', a[i]),
                Op::Insert(j) => ('+', b[j]),
            };
            text.push(mark);
            text += line;
            if !line.ends_with('\n') {
                text += "\n\\ No newline at end of file\n";
            }
        }
    }
    Some(text)
}

/// How many old and new lines come before `ops[index]`.
fn position(ops: &[Op], index: usize) -> (usize, usize) {
    ops[..index].iter().fold((0, 0), |(old, new), op| match op {
        Op::Keep(..) => (old + 1, new + 1),
        Op::Delete(_) => (old + 1, new),
        Op::Insert(_) => (old, new + 1),
    })
}

/// The ranges of `ops` to show: each change with its context, changes that are close
/// enough for their contexts to touch sharing one hunk.
fn hunks(ops: &[Op]) -> Vec<(usize, usize)> {
    let changes: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Keep(..)))
        .collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &change in &changes {
        let start = change.saturating_sub(CONTEXT);
        let end = (change + 1 + CONTEXT).min(ops.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    hunks
}

/// The shortest edit script from `a` to `b`, in order, deletions before insertions
/// within each change.
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    // Common ends cost nothing to match and keep the quadratic part small.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle = myers(&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Keep(i, i)).collect();
    ops.extend(middle.into_iter().map(|op| match op {
        Op::Keep(i, j) => Op::Keep(i + prefix, j + prefix),
        Op::Delete(i) => Op::Delete(i + prefix),
        Op::Insert(j) => Op::Insert(j + prefix),
    }));
    ops.extend((0..suffix).map(|s| Op::Keep(a.len() - suffix + s, b.len() - suffix + s)));
    // Within a run of changes, deletions first, as diff -u shows them.
    let mut start = 0;
    while start < ops.len() {
        let end = start
            + ops[start..]
                .iter()
                .take_while(|op| !matches!(op, Op::Keep(..)))
                .count();
        ops[start..end].sort_by_key(|op| matches!(op, Op::Insert(_)));
        start = end + 1;
    }
    ops
}

/// Myers' O((N+M)·D) greedy algorithm, with the trace kept for the walk back.
fn myers(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d]: v's diagonals -d-1..=d+1 as they were before step d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut end = None;
    'search: for d in 0..=max as isize {
        if d as usize > MAX_EDITS {
            break;
        }
        trace.push(v[(offset - d - 1) as usize..=(offset + d + 1) as usize].to_vec());
        for k in (-d..=d).step_by(2) {
            let down =
                k == -d || (k != d && v[(offset + k - 1) as usize] < v[(offset + k + 1) as usize]);
            let mut x = if down {
                v[(offset + k + 1) as usize]
            } else {
                v[(offset + k - 1) as usize] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(offset + k) as usize] = x;
            if x >= n && y >= m {
                end = Some(d);
                break 'search;
            }
        }
    }
    let Some(depth) = end else {
        // Too different to be worth the search: everything out, everything in.
        let deletes = (0..a.len()).map(Op::Delete);
        return deletes.chain((0..b.len()).map(Op::Insert)).collect();
    };
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=depth).rev() {
        let snapshot = &trace[d as usize];
        let at = |k: isize| snapshot[(k + d + 1) as usize];
        let k = x - y;
        let previous_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let previous_x = at(previous_k);
        let previous_y = previous_x - previous_k;
        while x > previous_x && y > previous_y {
            x -= 1;
            y -= 1;
            ops.push(Op::Keep(x as usize, y as usize));
        }
        if d > 0 {
            if x == previous_x {
                ops.push(Op::Insert(previous_y as usize));
            } else {
                ops.push(Op::Delete(previous_x as usize));
            }
        }
        (x, y) = (previous_x, previous_y);
    }
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(old: &str, new: &str) -> Option<String> {
        unified(old, new, "a", "b")
    }

    fn numbered(lines: std::ops::Range<usize>) -> String {
        lines.map(|n| format!("{n}\n")).collect()
    }

    #[test]
    fn identical_files_have_no_difference() {
        assert_eq!(diff("one\ntwo\n", "one\ntwo\n"), None);
        assert_eq!(diff("", ""), None);
    }

    #[test]
    fn an_insertion() {
        assert_eq!(
            diff("a\nb\nc\n", "a\nb\nnew\nc\n").unwrap(),
            "--- a\n+++ b\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n"
        );
        assert_eq!(
            diff("", "x\n").unwrap(),
            "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n"
        );
    }

    #[test]
    fn a_deletion() {
        assert_eq!(
            diff("a\nb\nc\n", "a\nc\n").unwrap(),
            "--- a\n+++ b\n@@ -1,3 +1,2 @@\n a\n-b\n c\n"
        );
    }

    #[test]
    fn a_change_shows_the_old_line_then_the_new() {
        let old = numbered(1..11);
        let new = old.replace("5\n", "five\n");
        assert_eq!(
            diff(&old, &new).unwrap(),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn changes_far_apart_get_a_hunk_each_and_close_ones_share() {
        let old = numbered(1..41);
        let new = old
            .replace("\n3\n", "\nthree\n")
            .replace("\n30\n", "\nthirty\n");
        let text = diff(&old, &new).unwrap();
        let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("@@")).collect();
        assert_eq!(headers, ["@@ -1,6 +1,6 @@", "@@ -27,7 +27,7 @@"]);
        // Six unchanged lines between two changes: their contexts touch, one hunk.
        let new = old
            .replace("\n3\n", "\nthree\n")
            .replace("\n10\n", "\nten\n");
        let text = diff(&old, &new).unwrap();
        let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("@@")).collect();
        assert_eq!(headers, ["@@ -1,13 +1,13 @@"]);
    }

    #[test]
    fn the_edit_script_is_the_shortest() {
        // Myers' classic example: ABCABBA → CBABAC takes 5 edits.
        let a: Vec<&str> = "ABCABBA".split("").filter(|s| !s.is_empty()).collect();
        let b: Vec<&str> = "CBABAC".split("").filter(|s| !s.is_empty()).collect();
        let ops = edit_script(&a, &b);
        let edits = ops.iter().filter(|op| !matches!(op, Op::Keep(..))).count();
        assert_eq!(edits, 5);
        // Replaying the script turns a into b.
        let replayed: Vec<&str> = ops
            .iter()
            .filter_map(|op| match *op {
                Op::Keep(i, _) => Some(a[i]),
                Op::Insert(j) => Some(b[j]),
                Op::Delete(_) => None,
            })
            .collect();
        assert_eq!(replayed, b);
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        assert_eq!(
            diff("a\n", "a").unwrap(),
            "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-a\n+a\n\\ No newline at end of file\n"
        );
    }
}
