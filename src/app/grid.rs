//! Moving around the data grid with the keyboard, and where a pasted block lands.
//!
//! Arrow keys move one cell (left and right only when the caret is at the edge of the
//! text, so the keys still move within a figure); Enter moves down, Shift+Enter up;
//! Tab and Shift+Tab move along the row and wrap to the next or previous row. At the
//! edge of the grid a move returns `None`: Tab then leaves the grid as usual.

/// A cell: (row, column).
pub type Cell = (usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    Left,
    Right,
    Enter,
    ShiftEnter,
    Tab,
    ShiftTab,
}

impl Move {
    /// From a `KeyboardEvent.key` and the Shift key. `caret_at_start` / `caret_at_end`
    /// say whether the text caret sits at the start / end of the input (and nothing is
    /// selected in between): only then do Left / Right leave the cell.
    pub fn from_key(key: &str, shift: bool, caret_at_start: bool, caret_at_end: bool) -> Option<Move> {
        match key {
            "ArrowUp" => Some(Move::Up),
            "ArrowDown" => Some(Move::Down),
            "ArrowLeft" if caret_at_start => Some(Move::Left),
            "ArrowRight" if caret_at_end => Some(Move::Right),
            "Enter" if shift => Some(Move::ShiftEnter),
            "Enter" => Some(Move::Enter),
            "Tab" if shift => Some(Move::ShiftTab),
            "Tab" => Some(Move::Tab),
            _ => None,
        }
    }
}

/// The cell a move leads to in a grid of `rows` × `cols`, or `None` at the edge.
pub fn step(at: Cell, m: Move, rows: usize, cols: usize) -> Option<Cell> {
    let (r, c) = at;
    if rows == 0 || cols == 0 || r >= rows || c >= cols {
        return None;
    }
    match m {
        Move::Up | Move::ShiftEnter => r.checked_sub(1).map(|r| (r, c)),
        Move::Down | Move::Enter => (r + 1 < rows).then_some((r + 1, c)),
        Move::Left => c.checked_sub(1).map(|c| (r, c)),
        Move::Right => (c + 1 < cols).then_some((r, c + 1)),
        Move::Tab => {
            if c + 1 < cols {
                Some((r, c + 1))
            } else if r + 1 < rows {
                Some((r + 1, 0))
            } else {
                None
            }
        }
        Move::ShiftTab => {
            if c > 0 {
                Some((r, c - 1))
            } else if r > 0 {
                Some((r - 1, cols - 1))
            } else {
                None
            }
        }
    }
}

/// Where each cell of a pasted block goes when pasted at `at`: (block row, block column)
/// → grid cell, for the cells that fit in the grid. Also returns how many cells fell
/// outside the grid.
pub fn paste_targets(at: Cell, block: &[Vec<String>], rows: usize, cols: usize) -> (Vec<(Cell, String)>, usize) {
    let mut inside = Vec::new();
    let mut outside = 0;
    for (i, line) in block.iter().enumerate() {
        for (j, text) in line.iter().enumerate() {
            let (r, c) = (at.0 + i, at.1 + j);
            if r < rows && c < cols {
                inside.push(((r, c), text.clone()));
            } else {
                outside += 1;
            }
        }
    }
    (inside, outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_to_moves() {
        assert_eq!(Move::from_key("ArrowUp", false, false, false), Some(Move::Up));
        assert_eq!(Move::from_key("ArrowLeft", false, false, true), None);
        assert_eq!(Move::from_key("ArrowLeft", false, true, true), Some(Move::Left));
        assert_eq!(Move::from_key("ArrowRight", false, true, false), None);
        assert_eq!(Move::from_key("ArrowRight", false, false, true), Some(Move::Right));
        assert_eq!(Move::from_key("Enter", true, false, false), Some(Move::ShiftEnter));
        assert_eq!(Move::from_key("Tab", true, false, false), Some(Move::ShiftTab));
        assert_eq!(Move::from_key("a", false, true, true), None);
    }

    #[test]
    fn moves_stop_at_the_edges() {
        assert_eq!(step((0, 0), Move::Up, 3, 2), None);
        assert_eq!(step((0, 0), Move::Left, 3, 2), None);
        assert_eq!(step((2, 1), Move::Down, 3, 2), None);
        assert_eq!(step((2, 1), Move::Enter, 3, 2), None);
        assert_eq!(step((2, 1), Move::Right, 3, 2), None);
        assert_eq!(step((1, 1), Move::Up, 3, 2), Some((0, 1)));
        assert_eq!(step((1, 1), Move::ShiftEnter, 3, 2), Some((0, 1)));
        assert_eq!(step((1, 0), Move::Right, 3, 2), Some((1, 1)));
        assert_eq!(step((0, 0), Move::Enter, 3, 2), Some((1, 0)));
        assert_eq!(step((5, 0), Move::Enter, 3, 2), None);
        assert_eq!(step((0, 0), Move::Enter, 0, 0), None);
    }

    #[test]
    fn tab_wraps_rows_and_leaves_at_the_end() {
        assert_eq!(step((0, 0), Move::Tab, 2, 2), Some((0, 1)));
        assert_eq!(step((0, 1), Move::Tab, 2, 2), Some((1, 0)));
        assert_eq!(step((1, 1), Move::Tab, 2, 2), None);
        assert_eq!(step((1, 0), Move::ShiftTab, 2, 2), Some((0, 1)));
        assert_eq!(step((0, 0), Move::ShiftTab, 2, 2), None);
    }

    #[test]
    fn pasted_blocks_are_clipped_to_the_grid() {
        let block = vec![vec!["1".to_string(), "2".to_string()], vec!["3".to_string(), "4".to_string()]];
        let (inside, outside) = paste_targets((1, 1), &block, 3, 2);
        assert_eq!(inside, vec![((1, 1), "1".to_string()), ((2, 1), "3".to_string())]);
        assert_eq!(outside, 2);
        let (inside, outside) = paste_targets((0, 0), &block, 3, 2);
        assert_eq!(inside.len(), 4);
        assert_eq!(outside, 0);
    }
}
