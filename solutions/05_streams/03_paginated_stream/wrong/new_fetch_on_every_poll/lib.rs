//! Wrong: builds the fetch future anew on every poll instead of keeping it
//! A hand-written `Stream`: lazy pagination over a paged API.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::Stream;
use futures::future::BoxFuture;

// ---------------------------------------------------------------------------
// A fake paged API. Fixed code.
// ---------------------------------------------------------------------------

/// One page of results, and the number of the page after it (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<u32>,
    pub next: Option<u32>,
}

/// A paged API: page `n` holds `pages[n]`; each fetch takes `latency` of (virtual) time.
/// Cheap to clone: clones share the same pages and the same log.
#[derive(Debug, Clone)]
pub struct PagedApi {
    inner: Arc<ApiInner>,
}

#[derive(Debug)]
struct ApiInner {
    pages: Vec<Vec<u32>>,
    latency: Duration,
    log: Mutex<Vec<u32>>,
}

impl PagedApi {
    pub fn new(pages: Vec<Vec<u32>>, latency: Duration) -> Self {
        let log = Mutex::default();
        PagedApi {
            inner: Arc::new(ApiInner {
                pages,
                latency,
                log,
            }),
        }
    }

    /// The page numbers requested so far, in order (a request is sent when its future
    /// is first polled).
    pub fn fetch_log(&self) -> Vec<u32> {
        self.inner.log.lock().unwrap().clone()
    }

    /// Fetches page `number`. The future owns a handle to the API (it borrows nothing),
    /// so it can be stored, e.g. in a stream's state.
    pub fn fetch_page(&self, number: u32) -> impl Future<Output = Page> + Send + 'static + use<> {
        let inner = self.inner.clone();
        async move {
            inner.log.lock().unwrap().push(number);
            tokio::time::sleep(inner.latency).await;
            let index = number as usize;
            let items = inner.pages.get(index).cloned().unwrap_or_default();
            let next = (index + 1 < inner.pages.len()).then_some(number + 1);
            Page { items, next }
        }
    }
}

// ---------------------------------------------------------------------------
// Your part.
// ---------------------------------------------------------------------------

/// Every item of every page, in order, starting at page 0. A page is fetched only when
/// the consumer asks for an item and the previous page's items are used up.
pub struct Items {
    api: PagedApi,
    /// Items of the current page not yielded yet.
    buffer: VecDeque<u32>,
    /// The page to fetch once the buffer is empty; `None` after the last page.
    next_page: Option<u32>,
    /// The fetch in progress. It lives across polls: dropping it would cancel the
    /// request, and building a new one on every poll would send it again.
    in_flight: Option<BoxFuture<'static, Page>>,
}

impl Items {
    /// A stream over `api` that has fetched nothing yet.
    pub fn new(api: PagedApi) -> Self {
        Items {
            api,
            buffer: VecDeque::new(),
            next_page: Some(0),
            in_flight: None,
        }
    }
}

impl Stream for Items {
    type Item = u32;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        // Every field is Unpin (the fetch is boxed), so `Items` is too: plain `&mut`.
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(item));
            }
            match this.next_page {
                Some(number) => {
                    let mut fetch = Box::pin(this.api.fetch_page(number));
                    let page = ready!(fetch.as_mut().poll(cx));
                    this.buffer.extend(page.items);
                    this.next_page = page.next;
                }
                None => return Poll::Ready(None),
            }
        }
    }
}
