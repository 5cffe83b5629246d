package engine

import (
	"fmt"
	"strings"
)

// The data planes: blob containers and blobs, key vault secrets, Service
// Bus queues and messages. Authorization is the caller's job (engine/azure
// checks the token and RBAC first); these methods only change state.

// StorageAccount finds a storage account by its globally unique name.
func (w *World) StorageAccount(name string) (*Resource, bool) {
	rs := w.FindByName(TypeStorageAccount, name)
	if len(rs) == 0 {
		return nil, false
	}
	return rs[0], true
}

// KeyVault finds a key vault by its globally unique name.
func (w *World) KeyVault(name string) (*Resource, bool) {
	rs := w.FindByName(TypeKeyVault, name)
	if len(rs) == 0 {
		return nil, false
	}
	return rs[0], true
}

// ServiceBusNamespace finds a namespace by its globally unique name.
func (w *World) ServiceBusNamespace(name string) (*Resource, bool) {
	rs := w.FindByName(TypeServiceBus, name)
	if len(rs) == 0 {
		return nil, false
	}
	return rs[0], true
}

// CreateContainer creates a blob container. It is a ContainerAlreadyExists
// fault if it exists.
func (w *World) CreateContainer(account *Resource, name string) (*Container, error) {
	if !validContainerName(name) {
		return nil, &Fault{Status: 400, Code: "InvalidResourceName", Message: "The specifed resource name contains invalid characters."}
	}
	if _, ok := account.Storage.Containers[name]; ok {
		return nil, &Fault{Status: 409, Code: "ContainerAlreadyExists", Message: "The specified container already exists."}
	}
	c := &Container{Name: name, Created: w.now, Blobs: map[string]*Blob{}}
	account.Storage.Containers[name] = c
	w.record(&DataChanged{ResourceID: account.ID, Operation: "container created", Item: name})
	return c, nil
}

// Container finds a container.
func (w *World) Container(account *Resource, name string) (*Container, error) {
	c, ok := account.Storage.Containers[name]
	if !ok {
		return nil, &Fault{Status: 404, Code: "ContainerNotFound", Message: "The specified container does not exist."}
	}
	return c, nil
}

// PutBlob writes a block blob, replacing any blob of that name.
func (w *World) PutBlob(account *Resource, container, name string, content []byte) (*Blob, error) {
	c, err := w.Container(account, container)
	if err != nil {
		return nil, err
	}
	if name == "" || len(name) > 1024 {
		return nil, &Fault{Status: 400, Code: "InvalidResourceName", Message: "The specifed resource name contains invalid characters."}
	}
	b := &Blob{Name: name, Content: append([]byte(nil), content...), Modified: w.now, ETag: fmt.Sprintf("\"0x8DE%X\"", w.ids.bytes(6))}
	c.Blobs[name] = b
	w.record(&DataChanged{ResourceID: account.ID, Operation: "blob written", Item: container + "/" + name})
	return b, nil
}

// GetBlob reads a blob.
func (w *World) GetBlob(account *Resource, container, name string) (*Blob, error) {
	c, err := w.Container(account, container)
	if err != nil {
		return nil, err
	}
	b, ok := c.Blobs[name]
	if !ok {
		return nil, &Fault{Status: 404, Code: "BlobNotFound", Message: "The specified blob does not exist."}
	}
	return b, nil
}

// DeleteBlob deletes a blob.
func (w *World) DeleteBlob(account *Resource, container, name string) error {
	c, err := w.Container(account, container)
	if err != nil {
		return err
	}
	if _, ok := c.Blobs[name]; !ok {
		return &Fault{Status: 404, Code: "BlobNotFound", Message: "The specified blob does not exist."}
	}
	delete(c.Blobs, name)
	w.record(&DataChanged{ResourceID: account.ID, Operation: "blob deleted", Item: container + "/" + name})
	return nil
}

// RegenerateKey replaces key1 or key2 of a storage account: every
// connection string and SAS signed with the old key stops working.
func (w *World) RegenerateKey(account *Resource, keyName string) error {
	switch strings.ToLower(keyName) {
	case "key1", "primary":
		account.Storage.Keys[0] = w.ids.Key()
	case "key2", "secondary":
		account.Storage.Keys[1] = w.ids.Key()
	default:
		return &Fault{Status: 400, Code: "InvalidKeyName", Message: fmt.Sprintf("Invalid key name '%s'. Valid key names are key1 and key2.", keyName)}
	}
	w.record(&KeysRegenerated{AccountID: account.ID, KeyName: strings.ToLower(keyName)})
	return nil
}

// SetSecret adds a new version of a key vault secret.
func (w *World) SetSecret(vault *Resource, name, value string) (*Secret, error) {
	if !validSecretName(name) {
		return nil, &Fault{Status: 400, Code: "BadParameter", Message: "The request URI contains an invalid name: " + name}
	}
	s := &Secret{Name: name, Version: strings.ReplaceAll(w.ids.GUID(), "-", ""), Value: value, Created: w.now}
	vault.Vault.Secrets[strings.ToLower(name)] = append(vault.Vault.Secrets[strings.ToLower(name)], s)
	w.record(&DataChanged{ResourceID: vault.ID, Operation: "secret set", Item: name})
	return s, nil
}

// GetSecret reads a secret's latest version, or the given one.
func (w *World) GetSecret(vault *Resource, name, version string) (*Secret, error) {
	versions := vault.Vault.Secrets[strings.ToLower(name)]
	if len(versions) == 0 {
		return nil, &Fault{Status: 404, Code: "SecretNotFound", Message: fmt.Sprintf("A secret with (name/id) %s was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182", name)}
	}
	if version == "" {
		return versions[len(versions)-1], nil
	}
	for _, s := range versions {
		if s.Version == version {
			return s, nil
		}
	}
	return nil, &Fault{Status: 404, Code: "SecretNotFound", Message: fmt.Sprintf("A secret with (name/id) %s/%s was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182", name, version)}
}

// CreateQueue creates a Service Bus queue.
func (w *World) CreateQueue(ns *Resource, name string) (*Queue, error) {
	if !validQueueName(name) {
		return nil, &Fault{Status: 400, Code: "BadRequest", Message: fmt.Sprintf("The entity path '%s' is invalid.", name)}
	}
	if _, ok := ns.ServiceBus.Queues[strings.ToLower(name)]; ok {
		return nil, &Fault{Status: 409, Code: "Conflict", Message: fmt.Sprintf("Entity '%s' already exists.", name)}
	}
	q := &Queue{Name: name}
	ns.ServiceBus.Queues[strings.ToLower(name)] = q
	w.record(&DataChanged{ResourceID: ns.ID, Operation: "queue created", Item: name})
	return q, nil
}

// Queue finds a queue.
func (w *World) Queue(ns *Resource, name string) (*Queue, error) {
	q, ok := ns.ServiceBus.Queues[strings.ToLower(name)]
	if !ok {
		return nil, &Fault{Status: 404, Code: "MessagingEntityNotFound", Message: fmt.Sprintf("The messaging entity '%s:Queue:%s' could not be found.", strings.TrimSuffix(strings.TrimPrefix(ns.ServiceBus.Endpoint, "sb://"), "/"), name)}
	}
	return q, nil
}

// SendMessage enqueues a message.
func (w *World) SendMessage(ns *Resource, queue, body string) (Message, error) {
	q, err := w.Queue(ns, queue)
	if err != nil {
		return Message{}, err
	}
	q.LastSequence++
	m := Message{ID: strings.ReplaceAll(w.ids.GUID(), "-", ""), Body: body, Sent: w.now, SequenceNumber: q.LastSequence}
	q.Messages = append(q.Messages, m)
	w.record(&DataChanged{ResourceID: ns.ID, Operation: "message sent", Item: q.Name})
	return m, nil
}

// ReceiveMessage removes and returns the oldest message (receive and
// delete); ok is false when the queue is empty.
func (w *World) ReceiveMessage(ns *Resource, queue string) (m Message, ok bool, err error) {
	q, err := w.Queue(ns, queue)
	if err != nil {
		return Message{}, false, err
	}
	if len(q.Messages) == 0 {
		return Message{}, false, nil
	}
	m, q.Messages = q.Messages[0], q.Messages[1:]
	w.record(&DataChanged{ResourceID: ns.ID, Operation: "message received", Item: q.Name})
	return m, true, nil
}
