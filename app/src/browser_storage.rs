//! IndexedDB, for what must outlive the page: capability grants and plugins' private folders.
//!
//! Values are strings or bytes under string keys, in two object stores. Every failure comes back
//! as a sentence for the banner; a full quota says so by name.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "parseltongue-studio";
const DB_VERSION: u32 = 1;
/// Grants per plugin and version: key `name@version`, value the granted capability keys as JSON.
pub const GRANTS: &str = "grants";
/// Plugins' private folders: key plugin name, value the folder blob.
pub const FOLDERS: &str = "folders";

fn describe(error: Option<web_sys::DomException>, doing: &str) -> String {
    match error {
        Some(e) if e.name() == "QuotaExceededError" => {
            format!(
                "browser storage is full, so {doing} failed (QuotaExceededError); free some space or clear this site's data"
            )
        }
        Some(e) => format!("{doing} failed: {} ({})", e.message(), e.name()),
        None => format!("{doing} failed"),
    }
}

/// Resolves when `request` succeeds, rejects when it fails.
async fn settle(request: &IdbRequest) -> Result<(), ()> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}

async fn open() -> Result<IdbDatabase, String> {
    let doing = "opening browser storage";
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|_| format!("{doing} failed: IndexedDB is blocked (private mode?)"))?
        .ok_or_else(|| format!("{doing} failed: this browser has no IndexedDB"))?;
    let request = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| format!("{doing} failed: {e:?}"))?;
    let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new({
        let request = request.clone();
        move |_| {
            let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                return;
            };
            for store in [GRANTS, FOLDERS] {
                if !db.object_store_names().contains(store) {
                    // Failure surfaces as the open request's error below.
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = settle(&request).await;
    request.set_onupgradeneeded(None);
    result.map_err(|()| describe(request.error().ok().flatten(), doing))?;
    request.result().and_then(|r| r.dyn_into::<IdbDatabase>()).map_err(|e| format!("{doing} failed: {e:?}"))
}

/// Reads `key` from `store`; `None` when absent.
///
/// # Errors
/// A sentence naming what failed.
pub async fn get(store: &str, key: &str) -> Result<Option<JsValue>, String> {
    let doing = format!("reading {key} from browser storage");
    let db = open().await?;
    let tx = db.transaction_with_str(store).map_err(|e| format!("{doing} failed: {e:?}"))?;
    let request = tx
        .object_store(store)
        .and_then(|s| s.get(&JsValue::from_str(key)))
        .map_err(|e| format!("{doing} failed: {e:?}"))?;
    settle(&request).await.map_err(|()| describe(request.error().ok().flatten(), &doing))?;
    let value = request.result().map_err(|e| format!("{doing} failed: {e:?}"))?;
    db.close();
    Ok((!value.is_undefined()).then_some(value))
}

/// Writes `value` under `key` in `store`, resolving once the transaction has committed.
///
/// # Errors
/// A sentence naming what failed; a full quota says so.
pub async fn put(store: &str, key: &str, value: &JsValue) -> Result<(), String> {
    let doing = format!("saving {key} to browser storage");
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
        .map_err(|e| format!("{doing} failed: {e:?}"))?;
    tx.object_store(store)
        .and_then(|s| s.put_with_key(value, &JsValue::from_str(key)))
        .map_err(|e| format!("{doing} failed: {e:?}"))?;
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    let committed = JsFuture::from(promise).await;
    db.close();
    committed.map(|_| ()).map_err(|_| describe(tx.error(), &doing))
}

/// Deletes `key` from `store`.
///
/// # Errors
/// A sentence naming what failed.
pub async fn delete(store: &str, key: &str) -> Result<(), String> {
    let doing = format!("forgetting {key} in browser storage");
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
        .map_err(|e| format!("{doing} failed: {e:?}"))?;
    let request = tx
        .object_store(store)
        .and_then(|s| s.delete(&JsValue::from_str(key)))
        .map_err(|e| format!("{doing} failed: {e:?}"))?;
    let result = settle(&request).await.map_err(|()| describe(request.error().ok().flatten(), &doing));
    db.close();
    result
}

/// A stored byte blob.
///
/// # Errors
/// As [`get`].
pub async fn get_bytes(store: &str, key: &str) -> Result<Option<Vec<u8>>, String> {
    Ok(get(store, key).await?.and_then(|v| v.dyn_into::<Uint8Array>().ok()).map(|a| a.to_vec()))
}
