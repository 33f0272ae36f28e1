package campaign

import "context"

// CreateTested creates the draft c and, with a test plan, sets it: the
// plan is checked against c before anything is stored. It returns the
// draft and the plan as stored.
func (s *Service) CreateTested(ctx context.Context, c Campaign, plan *TestPlan) (Created, error) {
	if plan != nil {
		if err := plan.Validate(c); err != nil {
			return Created{Campaign: c}, err
		}
	}
	c, err := s.Create(ctx, c)
	if err != nil || plan == nil {
		return Created{Campaign: c}, err
	}
	p, err := s.SetTest(ctx, c.Name, *plan)
	return Created{Campaign: c, Test: &p}, err
}
