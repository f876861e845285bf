package mockcloud

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

// healthCheckerRegions are the regions Route 53's health checkers check from (Route 53 API
// Reference, HealthCheckConfig, Regions: the values of HealthCheckRegion), sorted.
var healthCheckerRegions = []string{"ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-1",
	"sa-east-1", "us-east-1", "us-west-1", "us-west-2"}

// HealthCheckerRegions returns the regions Route 53's health checkers check from, sorted.
func HealthCheckerRegions() []string { return slices.Clone(healthCheckerRegions) }

var (
	recordTypes = map[string]bool{"A": true, "AAAA": true, "CAA": true, "CNAME": true, "DS": true, "HTTPS": true,
		"MX": true, "NAPTR": true, "NS": true, "PTR": true, "SOA": true, "SPF": true, "SRV": true, "SSHFP": true,
		"SVCB": true, "TLSA": true, "TXT": true}
	healthCheckTypes = map[string]bool{"HTTP": true, "HTTPS": true, "HTTP_STR_MATCH": true, "HTTPS_STR_MATCH": true,
		"TCP": true, "CALCULATED": true, "CLOUDWATCH_METRIC": true, "RECOVERY_CONTROL": true}
	dnsName = regexp.MustCompile(`^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$`)
)

func simulateZone(r *request) (string, map[string]any, error) {
	in, err := decode[zoneInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	name := strings.ToLower(strings.TrimSuffix(in.Name, "."))
	if !dnsName.MatchString(name) {
		return "", nil, errorf("InvalidDomainName", "%q is not a valid domain name", in.Name)
	}
	id := ZoneIDFor(name)
	if r.reg.generation > 0 {
		id = ZoneIDFor(fmt.Sprintf("%s#%d", name, r.reg.generation))
	}
	return id, map[string]any{
		"zoneId":            id,
		"arn":               "arn:aws:route53:::hostedzone/" + id,
		"nameServers":       nameServers(name),
		"primaryNameServer": nameServers(name)[0],
	}, nil
}

func checkZoneDelete(c *Cloud, res *Resource) error {
	in, _ := decode[zoneInputs](res.in()) // decoded when the zone was created
	for k, rs := range c.account.RecordSets {
		if rs.ZoneID != res.ID {
			continue
		}
		if !in.ForceDestroy {
			return errorf("HostedZoneNotEmpty", "the hosted zone %s still holds %s %s; delete its record sets before the zone", res.ID, rs.Name, rs.Type)
		}
		delete(c.account.RecordSets, k)
	}
	return nil
}

func undoRecord(c *Cloud, res *Resource) {
	delete(c.account.RecordSets, storedRecordSet(res).key())
}

// ZoneIDFor is the id the simulated account gives the public hosted zone of name.
func ZoneIDFor(name string) string {
	sum := sha256.Sum256([]byte("zone\x00" + name))
	return "Z0" + base32.StdEncoding.EncodeToString(sum[:])[:19]
}

func nameServers(zone string) []any {
	h := hashDigits("ns\x00"+zone, 8)
	return []any{
		"ns-" + h[0:3] + ".awsdns-" + h[3:5] + ".com",
		"ns-" + h[1:4] + ".awsdns-" + h[4:6] + ".net",
		"ns-" + h[2:5] + ".awsdns-" + h[5:7] + ".org",
		"ns-" + h[3:6] + ".awsdns-" + h[6:8] + ".co.uk",
	}
}

// zoneInputs are the inputs of a hosted zone that the simulation reads.
type zoneInputs struct {
	Name         string `pulumi:"name"`
	ForceDestroy bool   `pulumi:"forceDestroy"`
}

// recordInputs are the inputs of a record that the simulation reads.
type recordInputs struct {
	ZoneID        string   `pulumi:"zoneId"`
	Name          string   `pulumi:"name"`
	Type          string   `pulumi:"type"`
	SetIdentifier string   `pulumi:"setIdentifier"`
	Records       []string `pulumi:"records"`
	TTL           *float64 `pulumi:"ttl"`
	HealthCheckID string   `pulumi:"healthCheckId"`
	Aliases       []struct {
		Name                 string `pulumi:"name"`
		ZoneID               string `pulumi:"zoneId"`
		EvaluateTargetHealth bool   `pulumi:"evaluateTargetHealth"`
	} `pulumi:"aliases"`
	FailoverRoutingPolicies []struct {
		Type string `pulumi:"type"`
	} `pulumi:"failoverRoutingPolicies"`
	WeightedRoutingPolicies       []any `pulumi:"weightedRoutingPolicies"`
	LatencyRoutingPolicies        []any `pulumi:"latencyRoutingPolicies"`
	GeolocationRoutingPolicies    []any `pulumi:"geolocationRoutingPolicies"`
	MultivalueAnswerRoutingPolicy bool  `pulumi:"multivalueAnswerRoutingPolicy"`
	AllowOverwrite                bool  `pulumi:"allowOverwrite"`
}

// healthCheckInputs are the inputs of a health check that the simulation and the checkers read.
type healthCheckInputs struct {
	Disabled          bool     `pulumi:"disabled"`
	InvertHealthcheck bool     `pulumi:"invertHealthcheck"`
	Type              string   `pulumi:"type"`
	FQDN              string   `pulumi:"fqdn"`
	IPAddress         string   `pulumi:"ipAddress"`
	Port              *float64 `pulumi:"port"`
	ResourcePath      string   `pulumi:"resourcePath"`
	SearchString      string   `pulumi:"searchString"`
	RequestInterval   float64  `pulumi:"requestInterval"`
	FailureThreshold  float64  `pulumi:"failureThreshold"`
	Regions           []string `pulumi:"regions"`
}

// recordSetOf is the record set a record's inputs write.
func recordSetOf(in recordInputs) *RecordSet {
	rs := &RecordSet{
		ZoneID:        in.ZoneID,
		Name:          strings.ToLower(strings.TrimSuffix(in.Name, ".")),
		Type:          in.Type,
		SetID:         in.SetIdentifier,
		Values:        in.Records,
		HealthCheckID: in.HealthCheckID,
	}
	if in.TTL != nil {
		rs.TTL = int(*in.TTL)
	}
	if len(in.Aliases) > 0 {
		rs.AliasTarget = strings.ToLower(strings.TrimSuffix(in.Aliases[0].Name, "."))
		rs.AliasZoneID = in.Aliases[0].ZoneID
		rs.EvaluateTargetHealth = in.Aliases[0].EvaluateTargetHealth
	}
	if len(in.FailoverRoutingPolicies) > 0 {
		rs.Failover = in.FailoverRoutingPolicies[0].Type
	}
	return rs
}

// storedRecordSet is the record set a stored record resource wrote. Its inputs decoded when it
// was created, so they decode again.
func storedRecordSet(res *Resource) *RecordSet {
	in, _ := decode[recordInputs](res.in())
	return recordSetOf(in)
}

// id is the provider's id of the record set: zone, name, type and set identifier.
func (rs *RecordSet) id() string {
	id := strings.Join([]string{rs.ZoneID, rs.Name, rs.Type}, "_")
	if rs.SetID != "" {
		id += "_" + rs.SetID
	}
	return id
}

// state is what reading the record set returns: the record resource's inputs that write it,
// with its fqdn.
func (rs *RecordSet) state() map[string]any {
	s := map[string]any{"zoneId": rs.ZoneID, "name": rs.Name, "type": rs.Type, "fqdn": rs.Name}
	if rs.SetID != "" {
		s["setIdentifier"] = rs.SetID
	}
	if len(rs.Values) > 0 {
		values := make([]any, len(rs.Values))
		for i, v := range rs.Values {
			values[i] = v
		}
		s["records"] = values
		s["ttl"] = rs.TTL
	}
	if rs.AliasTarget != "" {
		s["aliases"] = []any{map[string]any{"name": rs.AliasTarget, "zoneId": rs.AliasZoneID,
			"evaluateTargetHealth": rs.EvaluateTargetHealth}}
	}
	if rs.Failover != "" {
		s["failoverRoutingPolicies"] = []any{map[string]any{"type": rs.Failover}}
	}
	if rs.HealthCheckID != "" {
		s["healthCheckId"] = rs.HealthCheckID
	}
	return s
}

// ListResourceRecordSets is what `aws route53 list-resource-record-sets --hosted-zone-id ID`
// prints for the zone's record sets (ListResourceRecordSets, Route 53 API Reference): names end
// with a dot, sorted by name and type.
func (a *Account) ListResourceRecordSets(zoneID string) ([]byte, error) {
	type value struct{ Value string }
	type aliasTarget struct {
		HostedZoneId, DNSName string
		EvaluateTargetHealth  bool
	}
	type recordSet struct {
		Name, Type              string
		SetIdentifier, Failover string       `json:",omitempty"`
		TTL                     int          `json:",omitempty"`
		ResourceRecords         []value      `json:",omitempty"`
		AliasTarget             *aliasTarget `json:",omitempty"`
		HealthCheckId           string       `json:",omitempty"`
	}
	list := []recordSet{}
	for _, rs := range a.RecordSets {
		if rs.ZoneID != strings.TrimPrefix(zoneID, "/hostedzone/") {
			continue
		}
		out := recordSet{Name: rs.Name + ".", Type: rs.Type, SetIdentifier: rs.SetID, Failover: rs.Failover,
			TTL: rs.TTL, HealthCheckId: rs.HealthCheckID}
		for _, v := range rs.Values {
			out.ResourceRecords = append(out.ResourceRecords, value{v})
		}
		if rs.AliasTarget != "" {
			out.AliasTarget = &aliasTarget{rs.AliasZoneID, rs.AliasTarget + ".", rs.EvaluateTargetHealth}
		}
		list = append(list, out)
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].Name+" "+list[i].Type+" "+list[i].SetIdentifier < list[j].Name+" "+list[j].Type+" "+list[j].SetIdentifier
	})
	return json.MarshalIndent(map[string]any{"ResourceRecordSets": list}, "", "    ")
}

func (c *Cloud) recordSetByID(id string) (*RecordSet, bool) {
	for _, rs := range c.account.RecordSets {
		if rs.id() == id {
			return rs, true
		}
	}
	return nil, false
}

func record(r *request) (string, map[string]any, error) {
	in, err := decode[recordInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	rs := recordSetOf(in)
	zone, ok := r.cloud.zone(rs.ZoneID)
	if !ok {
		return "", nil, errorf("NoSuchHostedZone", "no hosted zone found with id %s", rs.ZoneID)
	}
	if zone.Name != "" && rs.Name != zone.Name && !strings.HasSuffix(rs.Name, "."+zone.Name) {
		return "", nil, errorf("InvalidChangeBatch", "RRSet with DNS name %s. is not permitted in zone %s.", rs.Name, zone.Name)
	}
	if !recordTypes[rs.Type] {
		return "", nil, errorf("InvalidInput", "invalid record type %q", rs.Type)
	}
	alias := len(in.Aliases) > 0
	switch {
	case alias && len(rs.Values) > 0:
		return "", nil, errorf("InvalidInput", "a record has records or an alias, not both")
	case alias && in.TTL != nil:
		return "", nil, errorf("InvalidInput", "an alias record cannot have a TTL")
	case !alias && len(rs.Values) == 0:
		return "", nil, errorf("InvalidInput", "a record needs records or an alias")
	case !alias && in.TTL == nil:
		return "", nil, errorf("InvalidInput", "a record that is not an alias needs a TTL")
	}
	if rs.Failover != "" && rs.SetID == "" {
		return "", nil, errorf("InvalidChangeBatch", "a failover record needs a set identifier")
	}
	otherPolicies := len(in.WeightedRoutingPolicies) + len(in.LatencyRoutingPolicies) +
		len(in.GeolocationRoutingPolicies)
	if rs.Failover == "" && rs.SetID != "" && otherPolicies == 0 && !in.MultivalueAnswerRoutingPolicy {
		return "", nil, errorf("InvalidChangeBatch", "a set identifier needs a routing policy")
	}
	if hc := in.HealthCheckID; hc != "" {
		if _, ok := r.cloud.resource(awstype.HealthCheck, hc); !ok {
			return "", nil, errorf("NoSuchHealthCheck", "no health check found with id %s", hc)
		}
	}
	if alias {
		if err := r.cloud.checkAlias(rs); err != nil {
			return "", nil, err
		}
	}
	if err := r.cloud.checkConflicts(rs, in.AllowOverwrite); err != nil {
		return "", nil, err
	}
	r.after = func(*Resource) { r.cloud.account.RecordSets[rs.key()] = rs }
	return rs.id(), map[string]any{"fqdn": rs.Name}, nil
}

// checkAlias refuses an alias whose target does not exist or lies in another zone than the one
// named: a load balancer in its region's canonical zone, or a distribution in CloudFront's.
func (c *Cloud) checkAlias(rs *RecordSet) error {
	target, zoneID := rs.AliasTarget, rs.AliasZoneID
	refuse := func() error {
		return errorf("InvalidChangeBatch", "Tried to create an alias that targets %s., type %s in zone %s, but the alias target name does not lie within the target zone", target, rs.Type, zoneID)
	}
	switch {
	case strings.HasSuffix(target, ".cloudfront.net"):
		if zoneID != CloudFrontZoneID {
			return errorf("InvalidChangeBatch", "an alias to CloudFront must use zone %s", CloudFrontZoneID)
		}
		if rs.EvaluateTargetHealth {
			return errorf("InvalidChangeBatch", "evaluate target health is not supported for CloudFront aliases")
		}
		if _, ok := c.findOutput(awstype.Distribution, "domainName", target); !ok &&
			!c.assumed("CloudFront distribution", target, "exists, serving the record's name") {
			return refuse()
		}
	case strings.HasSuffix(target, ".elb.amazonaws.com"):
		region := ""
		if lb, ok := c.findOutput(awstype.LoadBalancer, "dnsName", strings.TrimPrefix(target, "dualstack.")); ok {
			region = lb.Region
		} else if parts := strings.Split(target, "."); len(parts) > 4 && c.assumed("load balancer", target, "an Application Load Balancer in "+parts[len(parts)-4]) {
			region = parts[len(parts)-4]
		}
		if want, ok := ALBZoneID(region); !ok || zoneID != want {
			return refuse()
		}
	}
	if rs.Type != "A" && rs.Type != "AAAA" && rs.Type != "CNAME" && rs.AliasTarget != "" && !strings.HasSuffix(target, "."+rs.Name) {
		return errorf("InvalidChangeBatch", "an alias to %s cannot be of type %s", target, rs.Type)
	}
	return nil
}

// checkConflicts refuses what Route 53 refuses beside existing record sets: a duplicate (unless
// overwriting), a simple record beside routed ones of the same name and type, a second PRIMARY
// or SECONDARY, and a CNAME beside any other type.
func (c *Cloud) checkConflicts(rs *RecordSet, overwrite bool) error {
	for _, other := range c.account.RecordSets {
		if other.ZoneID != rs.ZoneID || other.Name != rs.Name {
			continue
		}
		if (other.Type == "CNAME") != (rs.Type == "CNAME") {
			return errorf("InvalidChangeBatch", "RRSet of type %s with DNS name %s. is not permitted because a conflicting RRSet of type %s with the same DNS name already exists", rs.Type, rs.Name, other.Type)
		}
		if other.Type != rs.Type {
			continue
		}
		switch {
		case (other.SetID == "") != (rs.SetID == ""):
			return errorf("InvalidChangeBatch", "%s %s: a record with routing policy cannot coexist with a simple record", rs.Name, rs.Type)
		case other.SetID == rs.SetID && !overwrite:
			return errorf("InvalidChangeBatch", "Tried to create resource record set [name='%s.', type='%s', set-identifier='%s'] but it already exists", rs.Name, rs.Type, rs.SetID)
		case other.SetID != rs.SetID && rs.Failover != "" && other.Failover == rs.Failover:
			return errorf("InvalidChangeBatch", "%s %s already has a %s record (%s)", rs.Name, rs.Type, rs.Failover, other.SetID)
		}
	}
	return nil
}

func healthCheck(r *request) (string, map[string]any, error) {
	in, err := decode[healthCheckInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	typ := in.Type
	if !healthCheckTypes[typ] {
		return "", nil, errorf("InvalidInput", "health check type %q is not one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP, CALCULATED, CLOUDWATCH_METRIC, RECOVERY_CONTROL", typ)
	}
	endpoint := typ != "CALCULATED" && typ != "CLOUDWATCH_METRIC" && typ != "RECOVERY_CONTROL"
	if endpoint {
		if in.FQDN == "" && in.IPAddress == "" {
			return "", nil, errorf("InvalidInput", "a %s health check needs a domain name or an IP address", typ)
		}
		if interval := in.RequestInterval; interval != 10 && interval != 30 {
			return "", nil, errorf("InvalidInput", "request interval %v is not 10 or 30", interval)
		}
		if t := in.FailureThreshold; t < 1 || t > 10 {
			return "", nil, errorf("InvalidInput", "failure threshold %v is not 1-10", t)
		}
		if in.Port != nil && (*in.Port < 1 || *in.Port > 65535) {
			return "", nil, errorf("InvalidInput", "port %v is not 1-65535", *in.Port)
		} else if typ == "TCP" && in.Port == nil {
			return "", nil, errorf("InvalidInput", "a TCP health check needs a port")
		}
	}
	if path := in.ResourcePath; path != "" {
		if !strings.HasPrefix(typ, "HTTP") {
			return "", nil, errorf("InvalidInput", "a resource path is only for HTTP and HTTPS health checks, not %s", typ)
		}
		if !strings.HasPrefix(path, "/") || len(path) > 255 {
			return "", nil, errorf("InvalidInput", "resource path %q must start with / and have at most 255 characters", path)
		}
	}
	if strings.HasSuffix(typ, "_STR_MATCH") && in.SearchString == "" {
		return "", nil, errorf("InvalidInput", "a %s health check needs a search string", typ)
	}
	if regions := in.Regions; regions != nil {
		for _, region := range regions {
			if !slices.Contains(healthCheckerRegions, region) {
				return "", nil, errorf("InvalidInput", "%s is not a health checker region", region)
			}
		}
		if len(regions) < 3 {
			return "", nil, errorf("InvalidInput", "a health check needs at least 3 checker regions")
		}
	}
	id := uuid(r.hex("id", 32))
	return id, map[string]any{"arn": "arn:aws:route53:::healthcheck/" + id}, nil
}
