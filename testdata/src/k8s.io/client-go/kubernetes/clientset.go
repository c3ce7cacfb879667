// Package kubernetes mirrors k8s.io/client-go/kubernetes: a Clientset
// of typed clients over one REST client.
package kubernetes

import (
	"context"

	"k8s.io/client-go/rest"
)

type Clientset struct{ core *CoreV1Client }

type CoreV1Client struct{ rc *rest.RESTClient }

type PodInterface struct {
	rc *rest.RESTClient
	ns string
}

func NewForConfig(c *rest.Config) (*Clientset, error) {
	rc, err := rest.RESTClientFor(c)
	if err != nil {
		return nil, err
	}
	return &Clientset{core: &CoreV1Client{rc: rc}}, nil
}

func (c *Clientset) CoreV1() *CoreV1Client { return c.core }

func (c *CoreV1Client) Pods(ns string) *PodInterface { return &PodInterface{rc: c.rc, ns: ns} }

func (p *PodInterface) Get(ctx context.Context, name string) (string, error) {
	_, err := p.rc.Get(ctx, "/api/v1/namespaces/"+p.ns+"/pods/"+name)
	return name, err
}
