//! IndexedDB as the core's [`StorageBackend`]: capability grants and plugins' private folders,
//! byte values under string keys, one object store per [`Area`]. Every failure comes back as a
//! [`StorageError`]; a full quota says so by name.

use js_sys::{Promise, Uint8Array};
use studio_core::storage::{Area, StorageBackend, StorageError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "parseltongue-studio";
/// Version 2 keys grants and folders by plugin identity and stores bytes; version 3 adds the
/// installed packages and the marketplace's settings.
const DB_VERSION: u32 = 3;
const AREAS: [Area; 4] = [Area::Grants, Area::Folders, Area::Packages, Area::Market];
/// The stores whose keys and values changed meaning at version 2.
const RESET_BELOW_2: [Area; 2] = [Area::Grants, Area::Folders];

/// The browser's IndexedDB for this site.
#[derive(Clone, Copy, Default)]
pub struct IdbStorage;

fn describe(error: Option<web_sys::DomException>, doing: &str) -> StorageError {
    match error {
        Some(e) if e.name() == "QuotaExceededError" => StorageError::QuotaExceeded { doing: doing.to_owned() },
        Some(e) => StorageError::Failed { doing: doing.to_owned(), reason: format!("{} ({})", e.message(), e.name()) },
        None => StorageError::Failed { doing: doing.to_owned(), reason: "the browser gave no reason".into() },
    }
}

fn failed(doing: &str, e: &JsValue) -> StorageError {
    StorageError::Failed { doing: doing.to_owned(), reason: format!("{e:?}") }
}

/// Resolves when `request` succeeds, rejects when it fails.
async fn settle(request: &IdbRequest) -> Result<(), ()> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}

async fn open() -> Result<IdbDatabase, StorageError> {
    let doing = "opening browser storage";
    let unavailable = |reason: &str| StorageError::Unavailable { doing: doing.to_owned(), reason: reason.to_owned() };
    let factory = web_sys::window()
        .ok_or_else(|| unavailable("no window"))?
        .indexed_db()
        .map_err(|_| unavailable("IndexedDB is blocked (private mode?)"))?
        .ok_or_else(|| unavailable("this browser has no IndexedDB"))?;
    let request = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| failed(doing, &e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new({
        let request = request.clone();
        move |event: web_sys::IdbVersionChangeEvent| {
            let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                return;
            };
            // Stores of version 1 held other keys and values: start them afresh. Later upgrades
            // only add stores, so grants, folders and installed plugins survive them.
            if event.old_version() < 2.0 {
                for area in RESET_BELOW_2 {
                    if db.object_store_names().contains(area.name()) {
                        db.delete_object_store(area.name()).ok();
                    }
                }
            }
            for area in AREAS {
                if !db.object_store_names().contains(area.name()) {
                    // A failure surfaces as the open request's error below.
                    db.create_object_store(area.name()).ok();
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = settle(&request).await;
    request.set_onupgradeneeded(None);
    result.map_err(|()| describe(request.error().ok().flatten(), doing))?;
    request.result().and_then(|r| r.dyn_into::<IdbDatabase>()).map_err(|e| failed(doing, &e))
}

impl StorageBackend for IdbStorage {
    async fn get(&self, area: Area, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let doing = format!("reading {key} from browser storage");
        let db = open().await?;
        let tx = db.transaction_with_str(area.name()).map_err(|e| failed(&doing, &e))?;
        let request = tx
            .object_store(area.name())
            .and_then(|s| s.get(&JsValue::from_str(key)))
            .map_err(|e| failed(&doing, &e))?;
        settle(&request).await.map_err(|()| describe(request.error().ok().flatten(), &doing))?;
        let value = request.result().map_err(|e| failed(&doing, &e))?;
        db.close();
        Ok(value.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec()))
    }

    async fn put(&self, area: Area, key: &str, value: &[u8]) -> Result<(), StorageError> {
        let doing = format!("saving {key} to browser storage");
        let db = open().await?;
        let tx = db
            .transaction_with_str_and_mode(area.name(), IdbTransactionMode::Readwrite)
            .map_err(|e| failed(&doing, &e))?;
        tx.object_store(area.name())
            .and_then(|s| s.put_with_key(&Uint8Array::from(value), &JsValue::from_str(key)))
            .map_err(|e| failed(&doing, &e))?;
        let promise = Promise::new(&mut |resolve, reject| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onerror(Some(&reject));
            tx.set_onabort(Some(&reject));
        });
        let committed = JsFuture::from(promise).await;
        db.close();
        committed.map(|_| ()).map_err(|_| describe(tx.error(), &doing))
    }

    async fn delete(&self, area: Area, key: &str) -> Result<(), StorageError> {
        let doing = format!("forgetting {key} in browser storage");
        let db = open().await?;
        let tx = db
            .transaction_with_str_and_mode(area.name(), IdbTransactionMode::Readwrite)
            .map_err(|e| failed(&doing, &e))?;
        let request = tx
            .object_store(area.name())
            .and_then(|s| s.delete(&JsValue::from_str(key)))
            .map_err(|e| failed(&doing, &e))?;
        let result = settle(&request).await.map_err(|()| describe(request.error().ok().flatten(), &doing));
        db.close();
        result
    }
}
