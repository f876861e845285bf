package mockcloud

import (
	"crypto/md5"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"github.com/seed-2b23e6e5/route53-failover/internal/awstype"
)

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// bucketSettings are the resources that each write one setting of a bucket. S3 refuses a
// setting written while another write to the same bucket is under way (OperationAborted).
var bucketSettings = []string{
	awstype.BucketPublicAccessBlock,
	awstype.BucketOwnershipControls,
	awstype.BucketEncryption,
	awstype.BucketPolicy,
	awstype.BucketVersioning,
}

// BucketWriteTime is how long, under the engine, a bucket setting keeps its bucket busy: a
// second write that starts meanwhile, because nothing ordered the two, is refused.
const BucketWriteTime = 300 * time.Millisecond

// The inputs of a bucket, its objects and its settings that their simulations and the visitor
// model read. Every setting names its bucket.
type (
	bucketInputs struct {
		Bucket string `pulumi:"bucket"`
	}
	bucketObjectInputs struct {
		Bucket  string `pulumi:"bucket"`
		Key     string `pulumi:"key"`
		Content string `pulumi:"content"`
	}
	bucketPolicyInputs struct {
		Bucket string `pulumi:"bucket"`
		Policy string `pulumi:"policy"`
	}
	publicAccessBlockInputs struct {
		Bucket            string `pulumi:"bucket"`
		BlockPublicPolicy bool   `pulumi:"blockPublicPolicy"`
	}
	ownershipControlsInputs struct {
		Bucket string `pulumi:"bucket"`
		Rule   struct {
			ObjectOwnership string `pulumi:"objectOwnership"`
		} `pulumi:"rule"`
	}
	bucketEncryptionInputs struct {
		Bucket string `pulumi:"bucket"`
		Rules  []struct {
			ApplyServerSideEncryptionByDefault struct {
				SseAlgorithm string `pulumi:"sseAlgorithm"`
			} `pulumi:"applyServerSideEncryptionByDefault"`
		} `pulumi:"rules"`
	}
)

func simulateBucket(r *request) (string, map[string]any, error) {
	in, err := decode[bucketInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	// Pulumi lower-cases auto-named buckets; S3 refuses anything else.
	name := in.Bucket
	if name == "" {
		name = strings.ToLower(r.physicalName(63))
	}
	if !bucketName.MatchString(name) {
		return "", nil, errorf("InvalidBucketName", "%q", name)
	}
	return name, map[string]any{
		"bucket":                   name,
		"arn":                      "arn:aws:s3:::" + name,
		"bucketDomainName":         name + ".s3.amazonaws.com",
		"bucketRegionalDomainName": name + ".s3." + r.region() + ".amazonaws.com",
		"region":                   r.region(),
	}, nil
}

func simulateBucketObject(r *request) (string, map[string]any, error) {
	in, err := decode[bucketObjectInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	if _, ok := r.cloud.resource(awstype.Bucket, in.Bucket); !ok {
		return "", nil, errorf("NoSuchBucket", "the bucket %q does not exist", in.Bucket)
	}
	if in.Key == "" {
		return "", nil, errorf("InvalidArgument", "an object needs a key")
	}
	sum := md5.Sum([]byte(in.Content))
	return in.Key, map[string]any{
		"etag": hex.EncodeToString(sum[:]),
		"arn":  "arn:aws:s3:::" + in.Bucket + "/" + in.Key,
	}, nil
}

// bucketSetting writes one setting of a bucket; its id is the bucket's name. Another setting of
// the same bucket must not be written at the same time: in a mock run, every setting written
// before must be one this one waits for; under the engine, the bucket must not be busy.
func bucketSetting(r *request) (string, map[string]any, error) {
	in, err := decode[bucketInputs](r.reg.inputs)
	if err != nil {
		return "", nil, err
	}
	bucket := in.Bucket
	if _, ok := r.cloud.resource(awstype.Bucket, bucket); !ok {
		return "", nil, errorf("NoSuchBucket", "the bucket %q does not exist", bucket)
	}
	aborted := errorf("OperationAborted", "A conflicting conditional operation is currently in progress against this resource (bucket %s): write its settings one after another", bucket)
	for _, typ := range bucketSettings {
		for _, other := range r.cloud.ofType(typ) {
			if other.ID == bucket && !r.dependsOn(other.URN) {
				return "", nil, aborted
			}
		}
	}
	if r.cloud.engine {
		now := time.Now()
		if until, busy := r.cloud.account.Busy[bucket]; busy && now.Before(until) {
			return "", nil, aborted
		}
		if r.cloud.account.Busy == nil {
			r.cloud.account.Busy = map[string]time.Time{}
		}
		r.cloud.account.Busy[bucket] = now.Add(BucketWriteTime)
		r.cloud.wait = BucketWriteTime
	}
	if r.reg.typ == awstype.BucketPolicy {
		if err := r.checkBucketPolicy(bucket); err != nil {
			return "", nil, err
		}
	}
	return bucket, map[string]any{}, nil
}

func (r *request) checkBucketPolicy(bucket string) error {
	in, err := decode[bucketPolicyInputs](r.reg.inputs)
	if err != nil {
		return err
	}
	statements, err := parseStatements(in.Policy)
	if err != nil {
		return errorf("MalformedPolicy", "%v", err)
	}
	for _, s := range statements {
		if s.Effect == "Allow" && isPublic(s.Principal) && len(s.Condition) == 0 && r.cloud.blocksPublicPolicy(bucket) {
			return errorf("AccessDenied", "the bucket's public access block refuses a public policy")
		}
		resources, _ := s.Resource.([]any)
		if one, ok := s.Resource.(string); ok {
			resources = []any{one}
		}
		for _, res := range resources {
			arn, _ := res.(string)
			if arn != "arn:aws:s3:::"+bucket && !strings.HasPrefix(arn, "arn:aws:s3:::"+bucket+"/") {
				return errorf("MalformedPolicy", "Policy has invalid resource: %s is not bucket %s", arn, bucket)
			}
		}
	}
	return nil
}

func (c *Cloud) blocksPublicPolicy(bucket string) bool {
	if block, ok := c.resource(awstype.BucketPublicAccessBlock, bucket); ok {
		return storedInputs[publicAccessBlockInputs](block).BlockPublicPolicy
	}
	return false
}

func isPublic(principal any) bool {
	switch p := principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		return p["AWS"] == "*"
	}
	return false
}
