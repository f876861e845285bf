package mockcloud_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	awsvpc "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/seed-2b23e6e5/route53-failover/internal/mockcloud"
	"github.com/seed-2b23e6e5/route53-failover/pkg/plan"
)

const originCert = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-0000-0000-00000000000f"

// edgeSite is an edge-mode distribution in front of a load balancer, each part a knob that a
// test turns to what AWS refuses. The zero value builds what AWS accepts.
type edgeSite struct {
	originName     string   // default origin.example.com
	noListenerCert bool     // the origin name's certificate is not on the listener
	members        []string // default main, bucket
	statusCodes    []int    // default 500, 502, 503, 504
	methods        []string // default GET, HEAD, OPTIONS
	attempts       int      // default 1
	readTimeout    int      // default 10
	header         string   // default X-Origin-Verify
	latest         bool     // associate $LATEST instead of the published version
	arch           string   // default x86_64
	trust          string   // default edgelambda and lambda
	functionRegion string   // default us-east-1
	prefixList     string   // default CloudFront's origin-facing list
	prefixListID   string   // default the id the lookup returns
}

func or[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}

func (s edgeSite) program(ctx *pulumi.Context) error {
	list, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(or(s.prefixList, mockcloud.CloudFrontOriginFacing))})
	if err != nil {
		return err
	}
	sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String(vpc), Description: pulumi.String("from CloudFront")})
	if err != nil {
		return err
	}
	if _, err := vpcIngress(ctx, sg.ID(), or(s.prefixListID, list.Id)); err != nil {
		return err
	}
	alb, err := newALB(ctx, subnetA, subnetC)
	if err != nil {
		return err
	}
	https, err := lb.NewListener(ctx, "https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"), CertificateArn: pulumi.String(regional),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response"),
			FixedResponse: lb.ListenerDefaultActionFixedResponseArgs{ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("403")}}},
	})
	if err != nil {
		return err
	}
	ready := []pulumi.Resource{}
	if !s.noListenerCert {
		attached, err := lb.NewListenerCertificate(ctx, "origin", &lb.ListenerCertificateArgs{ListenerArn: https.Arn, CertificateArn: pulumi.String(originCert)})
		if err != nil {
			return err
		}
		ready = append(ready, attached)
	}
	if _, err := lb.NewListenerRule(ctx, "from-cloudfront", &lb.ListenerRuleArgs{
		ListenerArn: https.Arn, Priority: pulumi.Int(1),
		Conditions: lb.ListenerRuleConditionArray{lb.ListenerRuleConditionArgs{HttpHeader: lb.ListenerRuleConditionHttpHeaderArgs{
			HttpHeaderName: pulumi.String("X-Origin-Verify"), Values: pulumi.ToStringArray([]string{"s3cr3t-s3cr3t-s3cr3t"})}}},
		Actions: lb.ListenerRuleActionArray{lb.ListenerRuleActionArgs{Type: pulumi.String("fixed-response"),
			FixedResponse: lb.ListenerRuleActionFixedResponseArgs{ContentType: pulumi.String("text/plain"), StatusCode: pulumi.String("200")}}},
	}); err != nil {
		return err
	}
	originName := or(s.originName, "origin.example.com")
	record, err := route53.NewRecord(ctx, "origin", &route53.RecordArgs{ZoneId: pulumi.String(zone), Name: pulumi.String(originName), Type: pulumi.String("A"),
		Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: alb.DnsName, ZoneId: alb.ZoneId, EvaluateTargetHealth: pulumi.Bool(false)}}})
	if err != nil {
		return err
	}
	ready = append(ready, record)

	east, err := aws.NewProvider(ctx, "east", &aws.ProviderArgs{Region: pulumi.String(or(s.functionRegion, "us-east-1"))})
	if err != nil {
		return err
	}
	trust := or(s.trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["edgelambda.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`)
	role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(trust)}, pulumi.Provider(east))
	if err != nil {
		return err
	}
	fn, err := lambda.NewFunction(ctx, "fn", &lambda.FunctionArgs{Runtime: pulumi.String("nodejs22.x"), Handler: pulumi.String("index.handler"),
		Role: role.Arn, Publish: pulumi.Bool(true), Timeout: pulumi.Int(5), Architectures: pulumi.ToStringArray([]string{or(s.arch, "x86_64")}),
		Code: pulumi.NewAssetArchive(map[string]any{"index.js": pulumi.NewStringAsset("exports.handler = async (e) => e;")})}, pulumi.Provider(east))
	if err != nil {
		return err
	}
	lambdaARN := fn.QualifiedArn
	if s.latest {
		lambdaARN = pulumi.Sprintf("%s:$LATEST", fn.Arn)
	}

	var members cloudfront.DistributionOriginGroupMemberArray
	for _, m := range strings.Split(or(strings.Join(s.members, ","), "main,bucket"), ",") {
		members = append(members, cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(m)})
	}
	codes := s.statusCodes
	if codes == nil {
		codes = []int{500, 502, 503, 504}
	}
	methods := s.methods
	if methods == nil {
		methods = []string{"GET", "HEAD", "OPTIONS"}
	}
	_, err = cloudfront.NewDistribution(ctx, "edge", &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Aliases:           pulumi.ToStringArray([]string{"example.com"}),
		ViewerCertificate: cloudfront.DistributionViewerCertificateArgs{AcmCertificateArn: pulumi.String(issued), SslSupportMethod: pulumi.String("sni-only")},
		Origins: cloudfront.DistributionOriginArray{
			cloudfront.DistributionOriginArgs{OriginId: pulumi.String("bucket"), DomainName: pulumi.String("b.s3.us-east-1.amazonaws.com")},
			cloudfront.DistributionOriginArgs{OriginId: pulumi.String("main"), DomainName: pulumi.String(originName),
				ConnectionAttempts: pulumi.Int(or(s.attempts, 1)), ConnectionTimeout: pulumi.Int(3),
				CustomHeaders: cloudfront.DistributionOriginCustomHeaderArray{cloudfront.DistributionOriginCustomHeaderArgs{
					Name: pulumi.String(or(s.header, "X-Origin-Verify")), Value: pulumi.String("s3cr3t-s3cr3t-s3cr3t")}},
				CustomOriginConfig: cloudfront.DistributionOriginCustomOriginConfigArgs{HttpPort: pulumi.Int(80), HttpsPort: pulumi.Int(443),
					OriginProtocolPolicy: pulumi.String("https-only"), OriginSslProtocols: pulumi.ToStringArray([]string{"TLSv1.2"}),
					OriginReadTimeout: pulumi.Int(or(s.readTimeout, 10))}},
		},
		OriginGroups: cloudfront.DistributionOriginGroupArray{cloudfront.DistributionOriginGroupArgs{
			OriginId:         pulumi.String("group"),
			FailoverCriteria: cloudfront.DistributionOriginGroupFailoverCriteriaArgs{StatusCodes: pulumi.ToIntArray(codes)},
			Members:          members,
		}},
		DefaultCacheBehavior: cloudfront.DistributionDefaultCacheBehaviorArgs{TargetOriginId: pulumi.String("group"), CachePolicyId: pulumi.String("c"),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"), AllowedMethods: pulumi.ToStringArray(methods), CachedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}),
			LambdaFunctionAssociations: cloudfront.DistributionDefaultCacheBehaviorLambdaFunctionAssociationArray{
				cloudfront.DistributionDefaultCacheBehaviorLambdaFunctionAssociationArgs{EventType: pulumi.String("origin-request"), LambdaArn: lambdaARN}}},
		Restrictions: cloudfront.DistributionRestrictionsArgs{GeoRestriction: cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
	}, pulumi.DependsOn(ready))
	return err
}

func vpcIngress(ctx *pulumi.Context, group pulumi.StringInput, prefixList string) (*awsvpc.SecurityGroupIngressRule, error) {
	return awsvpc.NewSecurityGroupIngressRule(ctx, "from-cloudfront", &awsvpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: group, IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
		PrefixListId: pulumi.String(prefixList),
	})
}

// edgeAccount is the tests' account with a certificate for the origin name.
func edgeAccount() mockcloud.Existing {
	existing := account
	existing.Certificates = append(append([]mockcloud.Certificate{}, account.Certificates...),
		mockcloud.Certificate{ARN: originCert, Names: []string{"origin.example.com"}, Status: "ISSUED"})
	return existing
}

// TestEdgeRules: the simulated account accepts an edge distribution built as AWS wants it, and
// refuses each thing AWS refuses for one.
func TestEdgeRules(t *testing.T) {
	tests := []struct {
		name string
		site edgeSite
		want string // "" for accepted
	}{
		{"as AWS wants it", edgeSite{}, ""},
		{"a member that is not an origin", edgeSite{members: []string{"main", "elsewhere"}}, `member "elsewhere" is not an origin of the distribution`},
		{"one member", edgeSite{members: []string{"main"}}, "needs exactly two members"},
		{"failover on 501", edgeSite{statusCodes: []int{500, 501}}, "cannot fail over on status 501"},
		{"no failover codes", edgeSite{statusCodes: []int{}}, "has no failover status codes"},
		{"POST through an origin group", edgeSite{methods: []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}},
			"cannot include POST, PUT, PATCH, or DELETE for a cached behavior associated with an origin group"},
		{"an origin name the certificate does not cover", edgeSite{noListenerCert: true}, "no certificate on the HTTPS listener it resolves to covers the name"},
		{"four connection attempts", edgeSite{attempts: 4}, "connectionAttempts 4 is not 1-3"},
		{"a read timeout over a minute", edgeSite{readTimeout: 90}, "originReadTimeout 90 is not 1-60"},
		{"a header CloudFront cannot add", edgeSite{header: "Host"}, "CloudFront cannot add the header Host"},
		{"the function's $LATEST", edgeSite{latest: true}, "needs a numbered version of a function in us-east-1"},
		{"an arm64 function", edgeSite{arch: "arm64"}, "runs x86_64 functions only"},
		{"a function outside us-east-1", edgeSite{functionRegion: "eu-west-1"}, "needs a numbered version of a function in us-east-1"},
		{"a role Lambda@Edge cannot assume", edgeSite{trust: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
			"must be assumable by edgelambda.amazonaws.com"},
		{"a role Lambda cannot assume", edgeSite{trust: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"edgelambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
			"The role defined for the function cannot be assumed by Lambda"},
		{"another region's prefix list", edgeSite{prefixListID: mockcloud.CloudFrontPrefixListID("us-east-1")}, "does not exist in ap-northeast-1"},
		{"a prefix list that does not exist", edgeSite{prefixList: "com.amazonaws.global.cloudfront.origin-facing-typo"}, "no managed prefix list named"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.RunInAccount(region, edgeAccount(), tt.site.program, plan.Strict)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
