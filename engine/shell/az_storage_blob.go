package shell

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

// az storage container and az storage blob: the Blob data plane, as the
// Azure Storage SDK for Python inside azure-cli sends it. A command proves
// who it is in one of three ways, chosen as azure-cli's
// validate_client_parameters chooses:
//
//   - --auth-mode login: a Microsoft Entra token of the signed-in account
//     for https://storage.azure.com. Inside a VM after `az login
//     --identity` that is the managed identity's token, and Azure RBAC
//     decides: Owner of the subscription is not enough to read a blob.
//   - an account key (--account-key, --connection-string,
//     AZURE_STORAGE_KEY, AZURE_STORAGE_CONNECTION_STRING): Shared Key,
//     which bypasses RBAC entirely.
//   - a SAS (--sas-token, AZURE_STORAGE_SAS_TOKEN), signed with a key.
//
// With an account name and nothing else, az warns and fetches key1 through
// ARM (listKeys), which is how most scripts end up holding keys.

// blobVersion is the x-ms-version the SDK in azure-cli 2.6x sends.
const blobVersion = "2022-11-02"

// storageResource is the resource az asks tokens for in login mode.
const storageResource = "https://storage.azure.com"

// Messages azure-cli writes in place of Storage's own, from its storage
// module's exception handler (get_handler_suppress_some_400) and
// validate_client_parameters. The leading newline and the trailing
// indentation are azure-cli's: its messages are triple-quoted strings.
const (
	storagePermissionMismatch = "\nYou do not have the required permissions needed to perform this operation.\n" +
		"Depending on your operation, you may need to be assigned one of the following roles:\n" +
		"    \"Storage Blob Data Owner\"\n" +
		"    \"Storage Blob Data Contributor\"\n" +
		"    \"Storage Blob Data Reader\"\n" +
		"    \"Storage Queue Data Contributor\"\n" +
		"    \"Storage Queue Data Reader\"\n" +
		"    \"Storage Table Data Contributor\"\n" +
		"    \"Storage Table Data Reader\"\n\n" +
		"If you want to use the old authentication method and allow querying for the right account key, please use the \"--auth-mode\" parameter and \"key\" value.\n" +
		"                    "
	storageNetworkRules = "\nThe request may be blocked by network rules of storage account. Please check network rule set using 'az storage account show -n accountname --query networkRuleSet'.\n" +
		"If you want to change the default action to apply when no rule matches, please use 'az storage account update'.\n" +
		"                    "
	storageAuthFailure = "\nAuthentication failure. This may be caused by either invalid account key, connection string or sas token value provided for your storage account.\n" +
		"                    "
	storageQueryKeyWarning = "\nThere are no credentials provided in your command and environment, we will query for account key for your storage account.\n" +
		"It is recommended to provide --connection-string, --account-key or --sas-token in your command as credentials.\n\n" +
		"You also can add `--auth-mode login` in your command to use Azure Active Directory (Azure AD) for authorization if your login account is assigned required RBAC roles.\n" +
		"For more information about RBAC roles in storage, visit https://docs.microsoft.com/azure/storage/common/storage-auth-aad-rbac-cli.\n" +
		"\nIn addition, setting the corresponding environment variables can avoid inputting credentials in your command. Please use --help to get more information about environment variable usage."
	// storageProgress is the last state of knack's progress bar, which az
	// writes to stderr while it uploads or downloads (after carriage
	// returns a terminal shows only this line).
	storageProgress = "Finished[#############################################################]  100.0000%"
)

// The arguments every Blob data-plane command takes, as azure-cli's
// _register_data_plane_account_arguments and _register_data_plane_oauth_arguments add them.
var storageDataArgs = []azArg{
	{Names: []string{"--account-name"}, Help: "Storage account name. Related environment variable: AZURE_STORAGE_ACCOUNT. Must be used in conjunction with either storage account key or a SAS token. If neither are present, the command will try to query the storage account key using the authenticated Azure account."},
	{Names: []string{"--account-key"}, Help: "Storage account key. Must be used in conjunction with storage account name. Environment variable: AZURE_STORAGE_KEY."},
	{Names: []string{"--connection-string"}, Help: "Storage account connection string. Environment variable: AZURE_STORAGE_CONNECTION_STRING."},
	{Names: []string{"--sas-token"}, Help: "A Shared Access Signature (SAS). Must be used in conjunction with storage account name. Environment variable: AZURE_STORAGE_SAS_TOKEN."},
	{Names: []string{"--auth-mode"}, Choices: []string{"key", "login"}, Help: "The mode in which to run the command. \"login\" mode will directly use your login credentials for the authentication. The legacy \"key\" mode will attempt to query for an account key if no authentication parameters for the account are provided. Environment variable: AZURE_STORAGE_AUTH_MODE."},
	{Names: []string{"--blob-endpoint"}, NotSimulated: true, Help: "Storage data service endpoint."},
	{Names: []string{"--timeout"}, Ignored: true, Help: "Request timeout in seconds."},
}

func storageArgs(args ...azArg) []azArg { return append(args, storageDataArgs...) }

var (
	containerArg       = azArg{Names: []string{"--container-name", "-c"}, Required: true, Help: "The container name."}
	blobNameArg        = azArg{Names: []string{"--name", "-n"}, Required: true, Help: "The blob name."}
	containerNameArg   = azArg{Names: []string{"--name", "-n"}, Required: true, Help: "The container name."}
	noProgressArg      = azArg{Names: []string{"--no-progress"}, Switch: true, Help: "Include this flag to disable progress reporting for the command."}
	sasPermissionsHelp = "The permissions the SAS grants. Allowed values: (a)dd (c)reate (d)elete (l)ist (r)ead (w)rite. Can be combined."
)

const storageCredentialsNote = "Credentials, as azure-cli resolves them: --auth-mode login (a Microsoft Entra token; RBAC decides), or a key from --account-key, --connection-string, AZURE_STORAGE_KEY or AZURE_STORAGE_CONNECTION_STRING, or --sas-token; with only an account name, az warns and fetches key1 through ARM."

func registerAzStorageBlob() {
	sasArgs := []azArg{
		{Names: []string{"--permissions"}, Help: sasPermissionsHelp},
		{Names: []string{"--expiry"}, Help: "Specifies the UTC datetime (Y-m-d'T'H:M'Z') at which the SAS becomes invalid."},
		{Names: []string{"--start"}, Help: "Specifies the UTC datetime (Y-m-d'T'H:M'Z') at which the SAS becomes valid. Defaults to the time of the request."},
		{Names: []string{"--https-only"}, Switch: true, Help: "Only permit requests made with the HTTPS protocol."},
		{Names: []string{"--as-user"}, Switch: true, NotSimulated: true, Help: "Sign the SAS with a user delegation key (with --auth-mode login)."},
		{Names: []string{"--id"}, NotSimulated: true, Help: "A stored access policy."},
		{Names: []string{"--ip"}, NotSimulated: true, Help: "The IP addresses the SAS accepts requests from."},
	}
	registerAz(
		&azCommand{
			Path:    "storage container create",
			Summary: "Create a container in a storage account.",
			Args: storageArgs(containerNameArg,
				azArg{Names: []string{"--public-access"}, Choices: []string{"blob", "container", "off"}, Help: "Specifies whether data in the container may be accessed publicly. Only off is simulated."},
				azArg{Names: []string{"--fail-on-exist"}, Switch: true, Help: "Throw an exception if the container already exists."},
				azArg{Names: []string{"--metadata"}, Multi: true, NotSimulated: true, Help: "Metadata in space-separated key=value pairs."},
				azArg{Names: []string{"--resource-group", "-g"}, Ignored: true, Help: "The resource group of the account (not needed)."},
			),
			Examples: []string{
				"$ az storage container create -n docs --account-name stdemo001 --auth-mode login",
				"$ az storage container create -n docs --account-name stdemo001 --account-key $KEY",
			},
			NotSimulated: "Public access, metadata and encryption scopes. " + storageCredentialsNote,
			Run:          azContainerCreate,
		},
		&azCommand{
			Path:    "storage container list",
			Summary: "List containers in a storage account.",
			Args: storageArgs(
				azArg{Names: []string{"--prefix"}, Help: "Filter the results to return only containers whose names begin with the specified prefix."},
				azArg{Names: []string{"--num-results"}, Help: "Specify the maximum number to return. Default: 5000."},
				azArg{Names: []string{"--include-metadata"}, AnyNumber: true, Choices: threeState, Ignored: true, Help: "Specify that container metadata be returned in the response."},
				azArg{Names: []string{"--include-deleted"}, AnyNumber: true, Choices: threeState, NotSimulated: true, Help: "List deleted containers too."},
				azArg{Names: []string{"--marker"}, Help: "A continuation token from a previous listing."},
				azArg{Names: []string{"--show-next-marker"}, Switch: true, Help: "Show nextMarker in the result when specified."},
			),
			Examples:     []string{"$ az storage container list --account-name stdemo001 --auth-mode login --query [].name -o tsv"},
			NotSimulated: "Deleted containers. " + storageCredentialsNote,
			Run:          azContainerList,
		},
		&azCommand{
			Path:         "storage container show",
			Summary:      "Return all user-defined metadata and system properties for the specified container.",
			Args:         storageArgs(containerNameArg, azArg{Names: []string{"--lease-id"}, NotSimulated: true, Help: "Leases are not simulated."}),
			Show:         true,
			Examples:     []string{"$ az storage container show -n docs --account-name stdemo001 --auth-mode login"},
			NotSimulated: storageCredentialsNote,
			Run:          azContainerShow,
		},
		&azCommand{
			Path:    "storage container generate-sas",
			Summary: "Generate a SAS token for a storage container.",
			Args:    storageArgs(append([]azArg{containerNameArg}, sasArgs...)...),
			Examples: []string{
				"$ az storage container generate-sas -n docs --account-name stdemo001 --account-key $KEY --permissions rl --expiry 2026-01-16T00:00Z -o tsv",
			},
			NotSimulated: "User delegation SAS (--as-user), stored access policies and IP ranges. The SAS is signed with key1 of the account (queried through ARM when no key is given), version " + azure.SASVersion + ".",
			Run:          azContainerSAS,
		},
		&azCommand{
			Path:    "storage blob upload",
			Summary: "Upload a file to a storage blob.",
			Args: storageArgs(containerArg,
				azArg{Names: []string{"--name", "-n"}, Help: "The blob name. Default: the file's name."},
				azArg{Names: []string{"--file", "-f"}, Help: "Path of the file to upload as the blob content."},
				azArg{Names: []string{"--data"}, Help: "The blob data to upload."},
				azArg{Names: []string{"--overwrite"}, AnyNumber: true, Choices: threeState, Help: "Whether the blob to be uploaded should overwrite the current data. If False, the operation fails when the blob exists. Default: False."},
				azArg{Names: []string{"--content-type"}, Help: "The content MIME type. Default: guessed from the file name."},
				azArg{Names: []string{"--type", "-t"}, Choices: []string{"append", "block", "page"}, Help: "The blob type. Only block is simulated."},
				noProgressArg,
				azArg{Names: []string{"--max-connections"}, Ignored: true, Help: "Maximum number of parallel connections to use."},
				azArg{Names: []string{"--validate-content"}, Switch: true, Ignored: true, Help: "Specifies that an MD5 hash shall be calculated for each chunk of the blob."},
				azArg{Names: []string{"--tier"}, NotSimulated: true, Help: "The tier value to set the blob to."},
				azArg{Names: []string{"--metadata"}, Multi: true, NotSimulated: true, Help: "Metadata in space-separated key=value pairs."},
				azArg{Names: []string{"--encryption-scope"}, NotSimulated: true, Help: "An encryption scope."},
			),
			Examples: []string{
				"$ az storage blob upload --account-name stdemo001 -c docs -n hello.txt --data 'hello' --auth-mode login",
				"$ az storage blob upload --connection-string \"$CONN\" -c docs -f report.csv --overwrite",
			},
			NotSimulated: "Page and append blobs, metadata, tiers and encryption scopes. " + storageCredentialsNote,
			Run:          azBlobUpload,
		},
		&azCommand{
			Path:    "storage blob download",
			Summary: "Download a blob to a file path.",
			Args: storageArgs(containerArg, blobNameArg,
				azArg{Names: []string{"--file", "-f"}, Help: "Path of file to write out to. Without it, the content goes to stdout."},
				azArg{Names: []string{"--overwrite"}, AnyNumber: true, Choices: threeState, Help: "Overwrite an existing file. Default: true."},
				noProgressArg,
				azArg{Names: []string{"--start-range"}, Help: "Start of byte range to use for downloading a section of the blob."},
				azArg{Names: []string{"--end-range"}, Help: "End of byte range to use for downloading a section of the blob."},
				azArg{Names: []string{"--max-connections"}, Ignored: true, Help: "The number of parallel connections with which to download."},
				azArg{Names: []string{"--snapshot"}, NotSimulated: true, Help: "A blob snapshot."},
			),
			Show: true,
			Examples: []string{
				"$ az storage blob download --account-name stdemo001 -c docs -n hello.txt -f hello.txt --auth-mode login",
				"vm-web$ az storage blob download --account-name stdemo001 -c docs -n hello.txt --auth-mode login -o none",
			},
			NotSimulated: "Snapshots. " + storageCredentialsNote,
			Run:          azBlobDownload,
		},
		&azCommand{
			Path:    "storage blob list",
			Summary: "List blobs in a given container.",
			Args: storageArgs(containerArg,
				azArg{Names: []string{"--prefix"}, Help: "Filter the results to return only blobs whose name begins with the specified prefix."},
				azArg{Names: []string{"--num-results"}, Help: "Specify the maximum number to return. Default: 5000."},
				azArg{Names: []string{"--marker"}, Help: "A continuation token from a previous listing."},
				azArg{Names: []string{"--show-next-marker"}, Switch: true, Help: "Show nextMarker in the result when specified."},
				azArg{Names: []string{"--delimiter"}, NotSimulated: true, Help: "Virtual directories."},
				azArg{Names: []string{"--include"}, NotSimulated: true, Help: "Snapshots, metadata, versions, deleted blobs."},
			),
			Examples: []string{
				"$ az storage blob list --account-name stdemo001 -c docs --auth-mode login --query [].name -o tsv",
				"$ az storage blob list --account-name stdemo001 -c docs --auth-mode login -o table",
			},
			NotSimulated: "Virtual directories (--delimiter) and --include. " + storageCredentialsNote,
			Run:          azBlobList,
		},
		&azCommand{
			Path:         "storage blob show",
			Summary:      "Get the details of a blob.",
			Args:         storageArgs(containerArg, blobNameArg, azArg{Names: []string{"--snapshot"}, NotSimulated: true, Help: "A blob snapshot."}),
			Show:         true,
			Examples:     []string{"$ az storage blob show --account-name stdemo001 -c docs -n hello.txt --auth-mode login"},
			NotSimulated: "Snapshots. " + storageCredentialsNote,
			Run:          azBlobShow,
		},
		&azCommand{
			Path:    "storage blob delete",
			Summary: "Mark a blob for deletion.",
			Args: storageArgs(containerArg, blobNameArg,
				azArg{Names: []string{"--delete-snapshots"}, Choices: []string{"include", "only"}, NotSimulated: true, Help: "Snapshots."},
			),
			Show:         true,
			Examples:     []string{"$ az storage blob delete --account-name stdemo001 -c docs -n hello.txt --auth-mode login"},
			NotSimulated: "Soft delete and snapshots: a deleted blob is gone. " + storageCredentialsNote,
			Run:          azBlobDelete,
		},
		&azCommand{
			Path:    "storage blob generate-sas",
			Summary: "Generate a shared access signature for the blob.",
			Args: storageArgs(append([]azArg{containerArg, blobNameArg,
				azArg{Names: []string{"--full-uri"}, Switch: true, Help: "Indicate that this command return the full blob URI and the shared access signature token."},
			}, sasArgs...)...),
			Examples: []string{
				"$ az storage blob generate-sas --account-name stdemo001 -c docs -n hello.txt --permissions r --expiry 2026-01-16T00:00Z --account-key $KEY -o tsv",
				"$ az storage blob generate-sas --account-name stdemo001 -c docs -n hello.txt --permissions r --expiry 2026-01-16T00:00Z --full-uri -o tsv",
			},
			NotSimulated: "User delegation SAS (--as-user), stored access policies and IP ranges. The SAS is signed with key1 of the account (queried through ARM when no key is given), version " + azure.SASVersion + ".",
			Run:          azBlobSAS,
		},
	)
}

// storageCreds are the credentials a data-plane command settled on.
type storageCreds struct {
	account string
	key     string // an account key in base64 (Shared Key)
	sas     string // a SAS token without "?"
	token   string // a bearer token (login mode)
}

// storageCreds resolves credentials as azure-cli's
// validate_client_parameters does, warnings included.
func (c *azCall) storageCreds() (*storageCreds, error) {
	env := func(name string) string {
		if c.p.Getenv == nil {
			return ""
		}
		return c.p.Getenv(name)
	}
	cr := &storageCreds{account: c.str("--account-name")}
	mode := c.str("--auth-mode")
	if mode == "" {
		mode = env("AZURE_STORAGE_AUTH_MODE")
	}
	if cr.account == "" {
		cr.account = env("AZURE_STORAGE_ACCOUNT")
	}
	if mode == "login" {
		var ignored []string
		for _, a := range []string{"--account-key", "--sas-token", "--connection-string"} {
			if c.str(a) != "" {
				ignored = append(ignored, a)
			}
		}
		if len(ignored) > 0 {
			c.warn("In \"login\" auth mode, the following arguments are ignored: %s", strings.Join(ignored, " ,"))
		}
		if cr.account == "" {
			return nil, clierrf("Please provide storage account name or connection string.")
		}
		tok, err := c.token(storageResource)
		if err != nil {
			return nil, err
		}
		cr.token = tok
		return cr, nil
	}
	cr.key, cr.sas = c.str("--account-key"), c.str("--sas-token")
	cs := c.str("--connection-string")
	if cs == "" && cr.key == "" && cr.sas == "" {
		cs = env("AZURE_STORAGE_CONNECTION_STRING")
	}
	if cs != "" {
		parts := storageConnParts(cs)
		cr.account, cr.key, cr.sas = parts["AccountName"], parts["AccountKey"], parts["SharedAccessSignature"]
	}
	if cr.account == "" {
		cr.account = env("AZURE_STORAGE_ACCOUNT")
	}
	if cr.key == "" && cr.sas == "" {
		cr.key = env("AZURE_STORAGE_KEY")
	}
	if cr.sas == "" {
		cr.sas = env("AZURE_STORAGE_SAS_TOKEN")
	}
	cr.sas = strings.TrimLeft(cr.sas, "?")
	if cr.account != "" && cr.key == "" && cr.sas == "" {
		c.warn("%s", storageQueryKeyWarning)
		key, err := c.storageAccountKey(cr.account, "", false)
		if err != nil {
			c.warn("\nSkip querying account key due to failure: %s", strings.TrimPrefix(err.Error(), "ERROR: "))
		}
		cr.key = key
	}
	if cr.account == "" {
		return nil, clierrf("Please provide storage account name or connection string.")
	}
	return cr, nil
}

// A storageError is a Storage failure as azure-cli prints it: Storage's
// message (with its RequestId and Time lines) and "ErrorCode:", or the
// storage module's own words for permission and authentication failures.
// A 404 exits 3, as azure-cli maps it to ResourceNotFoundError.
type storageError struct {
	status int
	msg    string
}

func (e *storageError) Error() string { return e.msg }
func (e *storageError) azExitCode() int {
	if e.status == http.StatusNotFound {
		return azExitNotFound
	}
	return azExitError
}

// A storageResponse is what the Blob service answered.
type storageResponse struct {
	status int
	header http.Header
	body   []byte
}

// blob sends one request to the account's Blob endpoint with the
// credentials, and turns an error status into a *storageError.
func (c *azCall) blob(cr *storageCreds, method, resource string, query url.Values, body []byte, header http.Header) (*storageResponse, error) {
	u := &url.URL{Scheme: "https", Host: cr.account + ".blob.core.windows.net", Path: "/" + resource}
	raw := query.Encode()
	if cr.key == "" && cr.token == "" && cr.sas != "" {
		if raw != "" {
			raw += "&"
		}
		raw += cr.sas
	}
	u.RawQuery = raw
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(c.p.Ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	var requestID string
	c.p.Cloud.Do(func(w *engine.World) { requestID = w.NewGUID() })
	req.Header.Set("x-ms-version", blobVersion)
	req.Header.Set("x-ms-date", c.now().UTC().Format(http.TimeFormat))
	req.Header.Set("x-ms-client-request-id", requestID)
	req.Header.Set("User-Agent", "AZURECLI/2.67.0 (miplay) azsdk-python-storage-blob/12.23.1")
	req.Header.Set("Accept", "application/xml")
	switch {
	case cr.token != "":
		req.Header.Set("Authorization", "Bearer "+cr.token)
	case cr.key != "":
		if err := azure.SignSharedKey(req, cr.account, cr.key); err != nil {
			return nil, clierrf("incorrect usage: the given account key may be not valid.")
		}
	}
	resp, err := c.dataClient().Do(req)
	if err != nil {
		return nil, storageNetworkError(u.Host, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if method == http.MethodHead {
		b = nil // a HEAD answer has no body, whatever a handler wrote
	}
	out := &storageResponse{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.StatusCode >= 300 {
		return out, storageFailure(out)
	}
	return out, nil
}

// httpClient is the client az uses on this host: the session's, which
// tests may replace, or the cloud's.
func (c *azCall) dataClient() *Client {
	if c.p.Session != nil {
		return c.p.Session.Client(c.p.Host)
	}
	return &Client{Transport: c.p.Cloud.Transport(c.p.Host)}
}

// storageNetworkError words a failure to reach the account's endpoint, as
// urllib3 does for a name that does not resolve (UNVERIFIED beyond its
// last part: azure-core also prints the connection object).
func storageNetworkError(host string, err error) error {
	var unknown *azure.UnknownHostError
	if e, ok := err.(*url.Error); ok {
		if u, ok := e.Err.(*azure.UnknownHostError); ok {
			unknown = u
		}
	}
	if unknown != nil {
		return clierrf("<urllib3.connection.HTTPSConnection object>: Failed to resolve '%s' ([Errno -2] Name or service not known)", host)
	}
	return clierrf("%s", err)
}

// storageFailure turns an error response into what azure-cli prints.
func storageFailure(r *storageResponse) error {
	code := r.header.Get("x-ms-error-code")
	fields := storageErrorFields(r.body)
	if c := fields.get("code"); c != "" {
		code = c
	}
	if r.status == http.StatusForbidden {
		switch code {
		case "AuthorizationPermissionMismatch":
			return &storageError{r.status, storagePermissionMismatch}
		case "AuthorizationFailure":
			return &storageError{r.status, storageNetworkRules}
		case "AuthenticationFailed":
			return &storageError{r.status, storageAuthFailure}
		}
	}
	var msg string
	if m, ok := fields.lookup("message"); ok {
		msg = m
	} else {
		// A HEAD answer has no body: the SDK has only the status line.
		msg = fmt.Sprintf("Operation returned an invalid status '%s'", storageReason(r.status, code))
	}
	msg += "\nErrorCode:" + code
	for _, f := range fields {
		if f.name != "code" && f.name != "message" {
			msg += "\n" + f.name + ":" + f.value
		}
	}
	return &storageError{r.status, msg}
}

// storageReason is the reason phrase Storage puts in the status line.
func storageReason(status int, code string) string {
	switch code {
	case "BlobNotFound":
		return "The specified blob does not exist."
	case "ContainerNotFound":
		return "The specified container does not exist."
	case "ResourceNotFound":
		return "The specified resource does not exist."
	}
	return http.StatusText(status)
}

type storageField struct{ name, value string }
type storageFields []storageField

func (f storageFields) lookup(name string) (string, bool) {
	for _, x := range f {
		if x.name == name {
			return x.value, true
		}
	}
	return "", false
}

func (f storageFields) get(name string) string { v, _ := f.lookup(name); return v }

// storageErrorFields reads <Error><Code>…</Code><Message>…</Message>…</Error>
// into its children, names in lower case, as the SDK's
// process_storage_error does.
func storageErrorFields(body []byte) storageFields {
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var doc struct {
		Children []struct {
			XMLName xml.Name
			Text    string `xml:",chardata"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil
	}
	var out storageFields
	for _, ch := range doc.Children {
		out = append(out, storageField{strings.ToLower(ch.XMLName.Local), ch.Text})
	}
	return out
}

// blobPath is the escaped path of a container or blob.
func blobPath(container, blob string) string {
	if blob == "" {
		return container
	}
	return container + "/" + blob
}

// pyTime writes an HTTP date as the SDK's datetime prints in az's JSON:
// ISO 8601 with a +00:00 offset. Empty or unreadable dates are null.
func blobTime(httpDate string) any {
	t, err := http.ParseTime(httpDate)
	if err != nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05+00:00")
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// storageTable applies one of azure-cli's storage table transformers
// (build_table_output: named columns from paths, " " for what is empty),
// which az uses with -o table when there is no --query. It is written as
// the JMESPath projection that gives the same rows and column order.
func (c *azCall) storageTable(list bool, cols [][2]string) {
	parts := make([]string, len(cols))
	for i, col := range cols {
		parts[i] = fmt.Sprintf("%q: %s || ' '", col[0], col[1])
	}
	expr := "{" + strings.Join(parts, ", ") + "}"
	if list {
		expr = "[]." + expr
	}
	c.tableTransform(expr)
}

// tableTransform stands for a command's table_transformer, which az
// applies with -o table when there is no --query: a JMESPath expression
// that gives the transformer's rows, with its column order.
func (c *azCall) tableTransform(expr string) {
	if strings.ToLower(c.str("--output")) != "table" || c.has("--query") {
		return
	}
	c.vals["--query"] = []string{expr}
}

var (
	blobTableColumns = [][2]string{{"Name", "name"}, {"Blob Type", "properties.blobType"}, {"Blob Tier", "properties.blobTier"},
		{"Length", "properties.contentLength"}, {"Content Type", "properties.contentSettings.contentType"},
		{"Last Modified", "properties.lastModified"}, {"Snapshot", "snapshot"}}
	containerListColumns = [][2]string{{"Name", "name"}, {"Lease Status", "properties.leaseStatus"}, {"Last Modified", "properties.lastModified"}}
	containerShowColumns = [][2]string{{"Name", "name"}, {"Lease Status", "properties.lease.status"}, {"Last Modified", "properties.lastModified"}}
)

func (c *azCall) showProgress() {
	if !c.has("--no-progress") {
		fmt.Fprintln(c.p.Stderr, storageProgress)
	}
}

func azContainerCreate(c *azCall) (any, error) {
	if pa := c.str("--public-access"); pa != "" && pa != "off" {
		return nil, clierrf("--public-access %s is a real value that miplay does not simulate: containers are private.", pa)
	}
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	_, err = c.blob(cr, "PUT", c.str("--name"), url.Values{"restype": {"container"}}, nil, nil)
	if se, ok := err.(*storageError); ok && se.status == http.StatusConflict && !c.has("--fail-on-exist") {
		return map[string]any{"created": false}, nil
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"created": true}, nil
}

// containerJSON is a container as az prints it.
func containerJSON(name, etag, lastModified string, metadata any) map[string]any {
	return map[string]any{
		"deleted": nil,
		"encryptionScope": map[string]any{
			"defaultEncryptionScope":         "$account-encryption-key",
			"preventEncryptionScopeOverride": false,
		},
		"immutableStorageWithVersioningEnabled": false,
		"metadata":                              metadata,
		"name":                                  name,
		"properties": map[string]any{
			"etag":                  etag,
			"hasImmutabilityPolicy": false,
			"hasLegalHold":          false,
			"lastModified":          blobTime(lastModified),
			"lease":                 map[string]any{"duration": nil, "state": "available", "status": "unlocked"},
			"publicAccess":          nil,
		},
		"version": nil,
	}
}

func azContainerShow(c *azCall) (any, error) {
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	r, err := c.blob(cr, "GET", c.str("--name"), url.Values{"restype": {"container"}}, nil, nil)
	if err != nil {
		return nil, err
	}
	c.storageTable(false, containerShowColumns)
	return containerJSON(c.str("--name"), r.header.Get("ETag"), r.header.Get("Last-Modified"), map[string]any{}), nil
}

// storageList pages through a listing as the SDK does, up to max items.
func (c *azCall) storageList(cr *storageCreds, resource string, query url.Values, max int, each func(item []byte)) (next string, err error) {
	marker := c.str("--marker")
	count := 0
	for {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		if marker != "" {
			q.Set("marker", marker)
		}
		q.Set("maxresults", strconv.Itoa(min(max-count, 5000)))
		r, err := c.blob(cr, "GET", resource, q, nil, nil)
		if err != nil {
			return "", err
		}
		var doc struct {
			Containers []struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"Containers>Container"`
			Blobs []struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"Blobs>Blob"`
			NextMarker string `xml:"NextMarker"`
		}
		if err := xml.Unmarshal(bytes.TrimPrefix(r.body, []byte("\ufeff")), &doc); err != nil {
			return "", fmt.Errorf("az: unreadable listing: %w", err)
		}
		for _, x := range doc.Containers {
			each(x.Inner)
			count++
		}
		for _, x := range doc.Blobs {
			each(x.Inner)
			count++
		}
		marker = doc.NextMarker
		if marker == "" || count >= max {
			return marker, nil
		}
	}
}

func (c *azCall) storageNumResults() (int, error) {
	s := c.str("--num-results")
	if s == "" || s == "*" {
		return 5000, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, usagef("ERROR: argument --num-results: invalid int value: '%s'", s)
	}
	return n, nil
}

// storageFinishList adds the continuation marker as az does.
func (c *azCall) storageFinishList(out []any, next string) []any {
	if c.has("--show-next-marker") {
		return append(out, map[string]any{"nextMarker": nilIfEmpty(next)})
	}
	if next != "" {
		c.warn("Next Marker:")
		c.warn("%s", next)
	}
	return out
}

func azContainerList(c *azCall) (any, error) {
	max, err := c.storageNumResults()
	if err != nil {
		return nil, err
	}
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	q := url.Values{"comp": {"list"}}
	if p := c.str("--prefix"); p != "" {
		q.Set("prefix", p)
	}
	out := []any{}
	next, err := c.storageList(cr, "", q, max, func(inner []byte) {
		var x struct {
			Name  string `xml:"Name"`
			Props struct {
				LastModified string `xml:"Last-Modified"`
				Etag         string `xml:"Etag"`
			} `xml:"Properties"`
		}
		xml.Unmarshal(append(append([]byte("<C>"), inner...), "</C>"...), &x)
		out = append(out, containerJSON(x.Name, x.Props.Etag, x.Props.LastModified, nil))
	})
	if err != nil {
		return nil, err
	}
	c.storageTable(true, containerListColumns)
	return c.storageFinishList(out, next), nil
}

// blobProps are the properties az prints for a blob.
type blobProps struct {
	container, name         string
	length                  int64
	contentType, md5        string
	created, modified, etag string
	tier                    any
	tierInferred            any
	contentRange            any
	serverEncrypted         bool
	requestServerEncrypted  any
	deleted                 any
}

// json is the blob object az prints (transform_blob_output and the
// SDK's BlobProperties), keys as az writes them.
func (b blobProps) json(download bool) map[string]any {
	out := map[string]any{
		"container":                          b.container,
		"content":                            "",
		"deleted":                            b.deleted,
		"encryptedMetadata":                  nil,
		"encryptionKeySha256":                nil,
		"encryptionScope":                    nil,
		"hasLegalHold":                       nil,
		"hasVersionsOnly":                    nil,
		"immutabilityPolicy":                 map[string]any{"expiryTime": nil, "policyMode": nil},
		"isAppendBlobSealed":                 nil,
		"isCurrentVersion":                   nil,
		"lastAccessedOn":                     nil,
		"metadata":                           map[string]any{},
		"name":                               b.name,
		"objectReplicationDestinationPolicy": nil,
		"objectReplicationSourceProperties":  []any{},
		"properties": map[string]any{
			"appendBlobCommittedBlockCount": nil,
			"blobTier":                      b.tier,
			"blobTierChangeTime":            nil,
			"blobTierInferred":              b.tierInferred,
			"blobType":                      "BlockBlob",
			"contentLength":                 b.length,
			"contentRange":                  b.contentRange,
			"contentSettings": map[string]any{
				"cacheControl":       nil,
				"contentDisposition": nil,
				"contentEncoding":    nil,
				"contentLanguage":    nil,
				"contentMd5":         nilIfEmpty(b.md5),
				"contentType":        nilIfEmpty(b.contentType),
			},
			"copy": map[string]any{
				"completionTime": nil, "destinationSnapshot": nil, "id": nil, "incrementalCopy": nil,
				"progress": nil, "source": nil, "status": nil, "statusDescription": nil,
			},
			"creationTime":           blobTime(b.created),
			"deletedTime":            nil,
			"etag":                   b.etag,
			"lastModified":           blobTime(b.modified),
			"lease":                  map[string]any{"duration": nil, "state": "available", "status": "unlocked"},
			"pageBlobSequenceNumber": nil,
			"pageRanges":             nil,
			"rehydrationStatus":      nil,
			"remainingRetentionDays": nil,
			"serverEncrypted":        b.serverEncrypted,
		},
		"rehydratePriority":      nil,
		"requestServerEncrypted": b.requestServerEncrypted,
		"snapshot":               nil,
		"tagCount":               nil,
		"tags":                   nil,
		"versionId":              nil,
	}
	if download {
		// The downloader's properties carry the MD5 of what was read.
		out["contentMd5"] = nil
	}
	return out
}

// headerProps reads a blob's properties from a Get Blob or Get Blob
// Properties answer.
func headerProps(container, name string, h http.Header) blobProps {
	n, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if cr := h.Get("Content-Range"); cr != "" {
		if _, total, ok := strings.Cut(cr, "/"); ok {
			n, _ = strconv.ParseInt(total, 10, 64)
		}
	}
	return blobProps{
		container: container, name: name, length: n,
		contentType: h.Get("Content-Type"), md5: h.Get("Content-MD5"),
		created: h.Get("x-ms-creation-time"), modified: h.Get("Last-Modified"), etag: h.Get("ETag"),
		serverEncrypted: h.Get("x-ms-server-encrypted") == "true", requestServerEncrypted: h.Get("x-ms-server-encrypted") == "true",
		deleted: false,
	}
}

// readUpload reads what to upload: --file from the host's file system,
// or --data.
func (c *azCall) readUpload() (data []byte, file string, err error) {
	file, hasData := c.str("--file"), c.has("--data")
	switch {
	case file != "" && hasData:
		return nil, "", clierrf("usage error: please only specify one of --file and --data to upload.")
	case file == "" && !hasData:
		return nil, "", clierrf("usage error: please specify one of --file and --data to upload.")
	case hasData:
		return []byte(c.str("--data")), "", nil
	}
	if c.p.ReadFile == nil {
		return nil, "", clierrf("[Errno 2] No such file or directory: '%s'", file)
	}
	data, err = c.p.ReadFile(file)
	if err != nil {
		if strings.Contains(err.Error(), "directory") && !strings.Contains(err.Error(), "No such") {
			return nil, "", clierrf("[Errno 21] Is a directory: '%s'", file)
		}
		return nil, "", clierrf("[Errno 2] No such file or directory: '%s'", file)
	}
	return data, file, nil
}

// guessContentType is Python's mimetypes.guess_type for the extensions a
// learner meets, as azure-cli's guess_content_type uses it.
func guessContentType(file string) string {
	types := map[string]string{
		".txt": "text/plain", ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".csv": "text/csv",
		".md": "text/markdown", ".xml": "application/xml", ".json": "application/json", ".js": "text/javascript",
		".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
		".svg": "image/svg+xml", ".zip": "application/zip", ".gz": "application/gzip", ".tar": "application/x-tar",
		".sh": "application/x-sh", ".py": "text/x-python", ".yaml": "application/yaml", ".yml": "application/yaml",
		".log": "text/plain", ".conf": "text/plain", ".ini": "text/plain",
	}
	return types[strings.ToLower(path.Ext(file))]
}

func azBlobUpload(c *azCall) (any, error) {
	if t := c.str("--type"); t != "" && t != "block" {
		return nil, clierrf("--type %s is a real value that miplay does not simulate: blobs are block blobs.", t)
	}
	data, file, err := c.readUpload()
	if err != nil {
		return nil, err
	}
	name := c.str("--name")
	if name == "" {
		if file == "" {
			return nil, usagef("ERROR: the following arguments are required: --name/-n")
		}
		name = path.Base(file)
	}
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("x-ms-blob-type", "BlockBlob")
	h.Set("Content-Type", "application/octet-stream")
	ct := c.str("--content-type")
	if ct == "" && file != "" {
		ct = guessContentType(file)
	}
	if ct != "" {
		h.Set("x-ms-blob-content-type", ct)
	}
	if set, overwrite := c.triState("--overwrite"); !set || !overwrite {
		h.Set("If-None-Match", "*")
	}
	r, err := c.blob(cr, "PUT", blobPath(c.str("--container-name"), name), url.Values{}, data, h)
	if err != nil {
		if se, ok := err.(*storageError); ok && se.status == http.StatusConflict {
			return nil, &storageError{se.status, se.msg + "\nIf you want to overwrite the existing one, please add --overwrite in your command."}
		}
		return nil, err
	}
	c.showProgress()
	return map[string]any{
		"client_request_id":        nilIfEmpty(r.header.Get("x-ms-client-request-id")),
		"content_md5":              nilIfEmpty(r.header.Get("Content-MD5")),
		"date":                     blobTime(r.header.Get("Date")),
		"encryption_key_sha256":    nil,
		"encryption_scope":         nil,
		"etag":                     nilIfEmpty(r.header.Get("ETag")),
		"lastModified":             blobTime(r.header.Get("Last-Modified")),
		"request_id":               nilIfEmpty(r.header.Get("x-ms-request-id")),
		"request_server_encrypted": r.header.Get("x-ms-request-server-encrypted") == "true",
		"version":                  nilIfEmpty(r.header.Get("x-ms-version")),
		"version_id":               nilIfEmpty(r.header.Get("x-ms-version-id")),
	}, nil
}

func azBlobDownload(c *azCall) (any, error) {
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	start, end := c.str("--start-range"), c.str("--end-range")
	if start != "" || end != "" {
		if start == "" {
			start = "0"
		}
		h.Set("x-ms-range", "bytes="+start+"-"+end)
	}
	file := c.str("--file")
	if file != "" {
		if set, overwrite := c.triState("--overwrite"); set && !overwrite && c.p.ReadFile != nil {
			if _, err := c.p.ReadFile(file); err == nil {
				return nil, clierrf("%s already exists. Please rename existing file or use --overwrite", file)
			}
		}
	}
	container, name := c.str("--container-name"), c.str("--name")
	r, err := c.blob(cr, "GET", blobPath(container, name), url.Values{}, nil, h)
	if err != nil {
		return nil, err
	}
	c.showProgress()
	if file == "" {
		c.p.Stdout.Write(r.body)
		return nil, nil
	}
	if c.p.WriteFile == nil {
		return nil, clierrf("[Errno 2] No such file or directory: '%s'", file)
	}
	if err := c.p.WriteFile(file, r.body); err != nil {
		return nil, clierrf("[Errno 2] No such file or directory: '%s'", file)
	}
	p := headerProps(container, name, r.header)
	p.contentRange = fmt.Sprintf("bytes None-None/%d", p.length)
	if cr := r.header.Get("Content-Range"); cr != "" {
		p.contentRange = cr
	}
	c.storageTable(false, blobTableColumns)
	return p.json(true), nil
}

func azBlobShow(c *azCall) (any, error) {
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	container, name := c.str("--container-name"), c.str("--name")
	r, err := c.blob(cr, "HEAD", blobPath(container, name), url.Values{}, nil, nil)
	if err != nil {
		return nil, err
	}
	p := headerProps(container, name, r.header)
	p.tier, p.tierInferred = "Hot", true
	c.storageTable(false, blobTableColumns)
	return p.json(false), nil
}

func azBlobDelete(c *azCall) (any, error) {
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	_, err = c.blob(cr, "DELETE", blobPath(c.str("--container-name"), c.str("--name")), url.Values{}, nil, nil)
	return nil, err
}

func azBlobList(c *azCall) (any, error) {
	max, err := c.storageNumResults()
	if err != nil {
		return nil, err
	}
	cr, err := c.storageCreds()
	if err != nil {
		return nil, err
	}
	container := c.str("--container-name")
	q := url.Values{"restype": {"container"}, "comp": {"list"}}
	if p := c.str("--prefix"); p != "" {
		q.Set("prefix", p)
	}
	out := []any{}
	next, err := c.storageList(cr, container, q, max, func(inner []byte) {
		var x struct {
			Name  string `xml:"Name"`
			Props struct {
				Created       string `xml:"Creation-Time"`
				LastModified  string `xml:"Last-Modified"`
				Etag          string `xml:"Etag"`
				ContentLength int64  `xml:"Content-Length"`
				ContentType   string `xml:"Content-Type"`
				ContentMD5    string `xml:"Content-MD5"`
				AccessTier    string `xml:"AccessTier"`
				Inferred      string `xml:"AccessTierInferred"`
				Encrypted     string `xml:"ServerEncrypted"`
			} `xml:"Properties"`
		}
		xml.Unmarshal(append(append([]byte("<B>"), inner...), "</B>"...), &x)
		p := blobProps{
			container: container, name: x.Name, length: x.Props.ContentLength,
			contentType: x.Props.ContentType, md5: x.Props.ContentMD5,
			created: x.Props.Created, modified: x.Props.LastModified, etag: x.Props.Etag,
			tier: nilIfEmpty(x.Props.AccessTier), serverEncrypted: x.Props.Encrypted == "true",
		}
		if x.Props.Inferred != "" {
			p.tierInferred = x.Props.Inferred == "true"
		}
		out = append(out, p.json(false))
	})
	if err != nil {
		return nil, err
	}
	c.storageTable(true, blobTableColumns)
	return c.storageFinishList(out, next), nil
}

// sasTimeArg checks --expiry or --start as azure-cli's datetime type
// does, keeping the form the user wrote.
func (c *azCall) sasTimeArg(name string) (string, error) {
	v := c.str(name)
	if v == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05Z", "2006-01-02T15:04Z", "2006-01-02T15Z", "2006-01-02"} {
		if _, err := time.Parse(layout, v); err == nil {
			return v, nil
		}
	}
	return "", usagef("ERROR: argument %s: invalid datetime_type value: '%s'", name, v)
}

// sasOptions reads the SAS arguments and the key that signs them.
func (c *azCall) sasOptions(container, blob string) (azure.BlobSASOptions, error) {
	o := azure.BlobSASOptions{Container: container, Blob: blob, Permissions: c.str("--permissions")}
	var err error
	if o.Expiry, err = c.sasTimeArg("--expiry"); err != nil {
		return o, err
	}
	if o.Start, err = c.sasTimeArg("--start"); err != nil {
		return o, err
	}
	if c.has("--https-only") {
		o.Protocol = "https"
	}
	if o.Permissions == "" {
		// UNVERIFIED: the SDK raises a ValueError that azure-cli prints.
		return o, clierrf("'permission' parameter must be provided when not using a stored access policy.")
	}
	if o.Expiry == "" {
		return o, clierrf("'expiry' parameter must be provided when not using a stored access policy.")
	}
	allowed := "racwdxltfmeopi"
	if blob != "" {
		allowed = "racwdxytmeopi"
	}
	for _, r := range o.Permissions {
		if !strings.ContainsRune(allowed, r) {
			return o, usagef("ERROR: argument --permissions: valid values are %s", sasPermLetters(allowed))
		}
	}
	if c.str("--auth-mode") == "login" {
		return o, clierrf("incorrect usage: --auth-mode login requires --as-user to sign a user delegation SAS, which miplay does not simulate. Use --auth-mode key or an account key.")
	}
	cr, err := c.storageCreds()
	if err != nil {
		return o, err
	}
	if cr.key == "" {
		// UNVERIFIED: the SDK's error when there is no key to sign with.
		return o, clierrf("incorrect usage: need account key or user delegation key to generate a SAS.")
	}
	o.Account, o.Key = cr.account, cr.key
	return o, nil
}

func sasPermLetters(allowed string) string {
	letters := strings.Split(allowed, "")
	sort.Strings(letters)
	return "(" + strings.Join(letters, ") (") + ")"
}

func azContainerSAS(c *azCall) (any, error) {
	o, err := c.sasOptions(c.str("--name"), "")
	if err != nil {
		return nil, err
	}
	sas, err := azure.GenerateBlobSAS(o)
	if err != nil {
		return nil, clierrf("%s", strings.TrimPrefix(err.Error(), "azure: "))
	}
	return sasQuote(sas), nil
}

func azBlobSAS(c *azCall) (any, error) {
	container, name := c.str("--container-name"), c.str("--name")
	o, err := c.sasOptions(container, name)
	if err != nil {
		return nil, err
	}
	sas, err := azure.GenerateBlobSAS(o)
	if err != nil {
		return nil, clierrf("%s", strings.TrimPrefix(err.Error(), "azure: "))
	}
	sas = sasQuote(sas)
	if c.has("--full-uri") {
		return "https://" + o.Account + ".blob.core.windows.net/" + blobPath(container, name) + "?" + sas, nil
	}
	return sas, nil
}
