// `node --require @fixclf/train/thread-pool`: sets UV_THREADPOOL_SIZE before anything loads. Nothing to import.
export {};
