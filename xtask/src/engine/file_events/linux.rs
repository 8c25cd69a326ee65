//! inotify: every folder under the root watched, again as folders are made.

use std::path::Path;
use std::time::Duration;

pub struct Watcher {
    fd: i32,
    root: std::path::PathBuf,
}

impl Watcher {
    pub fn new(root: &Path) -> Option<Watcher> {
        // SAFETY: no pointers; the descriptor is ours and closed on drop.
        let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if fd < 0 {
            return None;
        }
        let watcher = Watcher {
            fd,
            root: root.to_path_buf(),
        };
        watcher.watch_all().then_some(watcher)
    }

    /// Watches the root and every folder under it (not `target/`, not hidden ones);
    /// again after a folder is made, so a new kata or module is seen too.
    fn watch_all(&self) -> bool {
        let mut dirs = vec![self.root.clone()];
        let mut all_added = true;
        while let Some(dir) = dirs.pop() {
            let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
                continue;
            };
            let mask = libc::IN_MODIFY
                | libc::IN_CLOSE_WRITE
                | libc::IN_ATTRIB
                | libc::IN_CREATE
                | libc::IN_DELETE
                | libc::IN_MOVED_FROM
                | libc::IN_MOVED_TO;
            // SAFETY: `path` is a NUL-terminated string that outlives the call.
            all_added &= unsafe { libc::inotify_add_watch(self.fd, path.as_ptr(), mask) } >= 0;
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = entry.file_name();
                let hidden = name.to_string_lossy().starts_with('.');
                if entry.file_type().is_ok_and(|t| t.is_dir()) && !hidden && name != "target" {
                    dirs.push(entry.path());
                }
            }
        }
        all_added
    }

    /// Waits up to `timeout` for events; true if one came that is worth a walk (all are
    /// read): not about a hidden file (an editor's swap file) or build output.
    pub fn wait(&self, timeout: Duration) -> bool {
        let mut poll = libc::pollfd {
            fd: self.fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut poll, 1, millis) } <= 0 {
            return false;
        }
        let mut buffer = [0u8; 8192];
        let mut new_folder = false;
        let mut worth = false;
        loop {
            // SAFETY: reads into our buffer, at most its length.
            let n = unsafe { libc::read(self.fd, buffer.as_mut_ptr().cast(), buffer.len()) };
            let Ok(n) = usize::try_from(n) else { break };
            if n == 0 {
                break;
            }
            // Each event: wd (4), mask (4), cookie (4), len (4), then `len` name bytes.
            let mut at = 0;
            while at + 16 <= n {
                let mask =
                    u32::from_ne_bytes(buffer[at + 4..at + 8].try_into().unwrap_or_default());
                let len =
                    u32::from_ne_bytes(buffer[at + 12..at + 16].try_into().unwrap_or_default());
                new_folder |=
                    mask & libc::IN_ISDIR != 0 && mask & (libc::IN_CREATE | libc::IN_MOVED_TO) != 0;
                // The name, NUL-padded; none for the watched folder itself.
                let name = buffer
                    .get(at + 16..(at + 16 + len as usize).min(n))
                    .unwrap_or(&[]);
                let name = name.split(|&b| b == 0).next().unwrap_or(&[]);
                worth |= mask & libc::IN_Q_OVERFLOW != 0
                    || name.is_empty()
                    || !(name.starts_with(b".") || name == b"target");
                at += 16 + len as usize;
            }
        }
        if new_folder {
            self.watch_all();
        }
        worth
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // SAFETY: our descriptor, closed once.
        unsafe { libc::close(self.fd) };
    }
}
