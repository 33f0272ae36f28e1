package sqlstore

// SetBulkMaxLog sets bulkMaxLog for a test and returns the function that
// restores it.
func SetBulkMaxLog(n int64) (restore func()) {
	old := bulkMaxLog
	bulkMaxLog = n
	return func() { bulkMaxLog = old }
}
