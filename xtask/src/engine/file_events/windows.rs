//! ReadDirectoryChangesW, by hand on the system's own kernel32 (the `notify` crate would
//! bring `windows-sys`, 5–6 s more of a Windows learner's first build): one handle on
//! the exercises' folder, its whole tree watched. A thread blocks on the changes and
//! sends the paths that changed; `wait` takes them. The thread lives as long as the
//! runner (it ends at the first change after the watcher is dropped).

use std::ffi::c_void;
use std::os::windows::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

type Handle = *mut c_void;

const FILE_LIST_DIRECTORY: u32 = 0x0001;
const FILE_SHARE_ALL: u32 = 0x1 | 0x2 | 0x4;
const OPEN_EXISTING: u32 = 3;
const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
/// File and folder names (a save by rename, a new file), sizes and write times.
const CHANGES: u32 = 0x1 | 0x2 | 0x8 | 0x10;

#[link(name = "kernel32")]
unsafe extern "system" {
    fn CreateFileW(
        name: *const u16,
        access: u32,
        share: u32,
        security: *mut c_void,
        disposition: u32,
        flags: u32,
        template: Handle,
    ) -> Handle;
    fn ReadDirectoryChangesW(
        directory: Handle,
        buffer: *mut c_void,
        length: u32,
        subtree: i32,
        filter: u32,
        returned: *mut u32,
        overlapped: *mut c_void,
        routine: *mut c_void,
    ) -> i32;
}

pub struct Watcher {
    /// The paths of each batch of changes; an empty batch when the system's buffer
    /// overflowed (something changed: the walk decides).
    events: Receiver<Vec<PathBuf>>,
    root: PathBuf,
}

impl Watcher {
    pub fn new(root: &Path) -> Option<Watcher> {
        let wide: Vec<u16> = root.as_os_str().encode_wide().chain(Some(0)).collect();
        // SAFETY: a NUL-terminated wide string that outlives the call; no security
        // attributes, no template.
        let handle = unsafe {
            CreateFileW(
                wide.as_ptr(),
                FILE_LIST_DIRECTORY,
                FILE_SHARE_ALL,
                std::ptr::null_mut(),
                OPEN_EXISTING,
                FILE_FLAG_BACKUP_SEMANTICS,
                std::ptr::null_mut(),
            )
        };
        // INVALID_HANDLE_VALUE is -1.
        if handle.is_null() || handle as isize == -1 {
            return None;
        }
        let (sender, events) = channel();
        // The handle crosses to the thread as a number: it is used there alone.
        let directory = handle as usize;
        let base = root.to_path_buf();
        std::thread::spawn(move || {
            // DWORD-aligned, as the call requires.
            let mut buffer = vec![0u32; 16 * 1024];
            loop {
                let mut returned = 0u32;
                // SAFETY: our handle, our buffer and its length in bytes; synchronous.
                let ok = unsafe {
                    ReadDirectoryChangesW(
                        directory as Handle,
                        buffer.as_mut_ptr().cast(),
                        u32::try_from(buffer.len() * 4).unwrap_or(u32::MAX),
                        1,
                        CHANGES,
                        &mut returned,
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                    )
                };
                if ok == 0 {
                    return;
                }
                // SAFETY: the system wrote `returned` bytes (at most the buffer's).
                let bytes = unsafe {
                    std::slice::from_raw_parts(
                        buffer.as_ptr().cast::<u8>(),
                        (returned as usize).min(buffer.len() * 4),
                    )
                };
                if sender.send(changed(bytes, &base)).is_err() {
                    return;
                }
            }
        });
        Some(Watcher {
            events,
            root: root.to_path_buf(),
        })
    }

    /// Waits up to `timeout` for changes; true if one came that is worth a walk (all
    /// waiting are taken).
    pub fn wait(&self, timeout: Duration) -> bool {
        let first = match self.events.recv_timeout(timeout) {
            Ok(paths) => paths,
            Err(RecvTimeoutError::Timeout) => return false,
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                return false;
            }
        };
        let mut worth = self.worth(&first);
        while let Ok(paths) = self.events.try_recv() {
            worth |= self.worth(&paths);
        }
        worth
    }

    fn worth(&self, paths: &[PathBuf]) -> bool {
        paths.is_empty() || paths.iter().any(|p| super::worth_a_look(&self.root, p))
    }
}

/// The paths in a buffer of FILE_NOTIFY_INFORMATION records: each is the offset of the
/// next (0 for the last), the action, the name's length in bytes, then the name (UTF-16,
/// relative to the watched folder).
fn changed(bytes: &[u8], base: &Path) -> Vec<PathBuf> {
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let mut paths = Vec::new();
    let mut at = 0;
    while let (Some(next), Some(length)) = (word(at), word(at + 8)) {
        let Some(name) = bytes.get(at + 12..at + 12 + length) else {
            break;
        };
        let units: Vec<u16> = name
            .chunks_exact(2)
            .map(|pair| u16::from_ne_bytes([pair[0], pair[1]]))
            .collect();
        paths.push(base.join(String::from_utf16_lossy(&units)));
        if next == 0 {
            break;
        }
        at += next;
    }
    paths
}
