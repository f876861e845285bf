// The whole failover topology, declared from TypeScript through the component package
// route53-failover: the same inputs as the Go topology.Args, and the stack program's outputs.
import * as pulumi from "@pulumi/pulumi";
import * as failover from "@pulumi/route53-failover";

const config = new pulumi.Config();
const domain = config.require("domain");

const site = new failover.FailoverSite("site", {
    domain,
    alternateNames: [`www.${domain}`],
    mainSite: { instanceCount: 2 },
    failoverDns: {
        healthCheckInterval: 10,
        // Set with `pulumi config set --secret alarmEmail ...`, it stays secret throughout.
        alarmEmail: config.get("alarmEmail") ? config.requireSecret("alarmEmail") : undefined,
    },
});

export const siteUrl = site.siteUrl;
export const healthCheckId = site.healthCheckId;
export const failoverWorstCaseSeconds = site.failoverEstimate.apply((e) => e["worst"]);
