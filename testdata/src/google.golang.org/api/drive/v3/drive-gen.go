// Package drive mirrors a generated Google API client: a Service whose
// resource services build calls sent through the service's client.
package drive

import (
	"context"
	"net/http"

	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"
)

type Service struct {
	client   *http.Client
	BasePath string
	Files    *FilesService
}

func NewService(ctx context.Context, opts ...option.ClientOption) (*Service, error) {
	client, endpoint, err := htransport.NewClient(ctx, opts...)
	if err != nil {
		return nil, err
	}
	s := &Service{client: client, BasePath: endpoint}
	s.Files = &FilesService{s: s}
	return s, nil
}

type FilesService struct{ s *Service }

type FilesListCall struct {
	s   *Service
	ctx context.Context
}

func (r *FilesService) List() *FilesListCall { return &FilesListCall{s: r.s} }

func (c *FilesListCall) Context(ctx context.Context) *FilesListCall { c.ctx = ctx; return c }

type FileList struct{ Files []string }

func (c *FilesListCall) Do() (*FileList, error) {
	req, err := http.NewRequest("GET", c.s.BasePath+"files", nil)
	if err != nil {
		return nil, err
	}
	res, err := c.s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return &FileList{}, nil
}
