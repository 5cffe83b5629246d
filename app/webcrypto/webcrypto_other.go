//go:build !(js && wasm)

package webcrypto

// Install does nothing outside the browser, where Go's crypto/rsa is the
// fast one, and reports false.
func Install() bool { return false }
