//! The guard in front of rqrr's detector: counts the finder-pattern candidates rqrr 0.9 would
//! find, in time linear in the image area, so that an image that would make rqrr search
//! thousands of candidate groups (it clones the whole image for each) is refused first.
//!
//! Kept apart because it mirrors rqrr's internals (its line scanner and region tests): when
//! rqrr is upgraded or replaced, this file is what must be re-checked.

/// The most finder-pattern candidates an image may have before the QR detector searches it
/// (a QR code has 3; see the module docs).
pub const MAX_FINDER_PATTERNS: usize = 32;

/// One horizontal run of black pixels in the component labelling of
/// [`count_finder_candidates`].
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    /// Exclusive.
    end: usize,
    /// Union-find node.
    node: usize,
}

fn find_root(parent: &mut [usize], mut n: usize) -> usize {
    while let Some(&p) = parent.get(n) {
        if p == n {
            break;
        }
        // Path halving.
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(n) {
            *slot = gp;
        }
        n = gp;
    }
    n
}

/// An upper bound on the number of finder patterns ("capstones") rqrr 0.9 finds in a
/// thresholded image, computed in time linear in the area. Stops counting past `stop_after`.
///
/// rqrr scans every row for black/white runs in the ratio 1:1:3:1:1 (its `LineScanner`), and
/// accepts a hit as a capstone when the outer black runs belong to one 4-connected black region
/// (the ring), the middle run to another (the stone), the stone has 10 % to 70 % of the ring's
/// pixels, and the ring has not been used yet. This function labels the 4-connected black
/// regions (union-find over runs), replays the same scan with the same integer arithmetic, and
/// counts the distinct rings of the hits that pass those tests: every capstone rqrr creates has
/// its own ring among them.
pub fn count_finder_candidates(
    width: usize,
    height: usize,
    is_black: impl Fn(usize, usize) -> bool,
    stop_after: usize,
) -> usize {
    // 1. Black runs per row, 4-connected components over them.
    let mut runs: Vec<Run> = Vec::new();
    let mut row_start = Vec::with_capacity(height + 1);
    let mut parent: Vec<usize> = Vec::new();
    let mut size: Vec<usize> = Vec::new();
    for y in 0..height {
        row_start.push(runs.len());
        let mut x = 0;
        while x < width {
            if !is_black(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && is_black(x, y) {
                x += 1;
            }
            let node = parent.len();
            parent.push(node);
            size.push(x - start);
            runs.push(Run { start, end: x, node });
        }
    }
    row_start.push(runs.len());
    for y in 1..height {
        let (Some(&a0), Some(&a1), Some(&b1)) =
            (row_start.get(y - 1), row_start.get(y), row_start.get(y + 1))
        else {
            continue;
        };
        // Two-pointer walk over the sorted runs of rows y-1 and y.
        let (mut i, mut j) = (a0, a1);
        while i < a1 && j < b1 {
            let (Some(&up), Some(&cur)) = (runs.get(i), runs.get(j)) else {
                break;
            };
            if up.start < cur.end && cur.start < up.end {
                let (ru, rc) = (find_root(&mut parent, up.node), find_root(&mut parent, cur.node));
                if ru != rc {
                    let merged = size.get(ru).copied().unwrap_or(0) + size.get(rc).copied().unwrap_or(0);
                    if let Some(p) = parent.get_mut(rc) {
                        *p = ru;
                    }
                    if let Some(s) = size.get_mut(ru) {
                        *s = merged;
                    }
                }
            }
            if up.end <= cur.end {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    // The region (root) of the black pixel at (x, y), if it is black.
    let region_at = |x: usize, y: usize, parent: &mut Vec<usize>| -> Option<usize> {
        let (a, b) = (*row_start.get(y)?, *row_start.get(y + 1)?);
        let row = runs.get(a..b)?;
        let i = row.partition_point(|r| r.end <= x);
        let r = row.get(i).filter(|r| r.start <= x)?;
        Some(find_root(parent, r.node))
    };

    // 2. rqrr's line scan, with its ring/stone tests on the regions.
    let mut rings: Vec<usize> = Vec::new();
    for y in 0..height {
        // Run lengths of the last five runs (oldest first), as rqrr's `lookbehind_buf`.
        let mut buf = [0usize; 5];
        let mut last_black = is_black(0, y);
        let mut run = 1usize;
        let mut changes = 0usize;
        for x in 1..=width {
            // Position `width` is rqrr's virtual white pixel at the end of the row.
            let black = x < width && is_black(x, y);
            if black == last_black {
                run += 1;
                continue;
            }
            last_black = black;
            buf.rotate_left(1);
            buf[4] = run;
            run = 1;
            changes += 1;
            if black || changes < 5 || !is_finder_ratio(&buf) {
                continue;
            }
            let left = x - buf.iter().sum::<usize>();
            let stone = x - buf[2..].iter().sum::<usize>();
            let right = x - buf[4];
            let (Some(ring), Some(stone), Some(left)) = (
                region_at(right, y, &mut parent),
                region_at(stone, y, &mut parent),
                region_at(left, y, &mut parent),
            ) else {
                continue;
            };
            if ring == stone || left != ring || rings.contains(&ring) {
                continue;
            }
            let (rs, ss) = (
                size.get(ring).copied().unwrap_or(0),
                size.get(stone).copied().unwrap_or(0),
            );
            let ratio = ss * 100 / rs.max(1);
            if 10 < ratio && ratio < 70 {
                rings.push(ring);
                if rings.len() > stop_after {
                    return rings.len();
                }
            }
        }
    }
    rings.len()
}

/// rqrr's 1:1:3:1:1 test on five run lengths, with its integer arithmetic.
fn is_finder_ratio(buf: &[usize; 5]) -> bool {
    const CHECK: [usize; 5] = [1, 1, 3, 1, 1];
    let avg = (buf[0] + buf[1] + buf[3] + buf[4]) / 4;
    let err = avg * 3 / 4;
    buf.iter()
        .zip(CHECK)
        .all(|(&run, c)| run + err >= c * avg && run <= c * avg + err)
}
