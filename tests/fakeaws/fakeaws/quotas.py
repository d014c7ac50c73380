"""ELBv2 quotas (AWS's documented defaults) as tunables; names follow
DescribeAccountLimits where one exists."""

DEFAULTS = {
    "application-load-balancers": 50,
    "network-load-balancers": 50,
    "target-groups": 3000,
    "listeners-per-application-load-balancer": 50,
    "listeners-per-network-load-balancer": 50,
    "rules-per-application-load-balancer": 100,
    "condition-values-per-alb-rule": 5,
    "target-groups-per-action-on-application-load-balancer": 5,
    # after the 2025-11-19 NLB weighted target groups launch; the real number
    # is not documented, so it is a tunable
    "target-groups-per-action-on-network-load-balancer": 5,
    "target-groups-per-application-load-balancer": 100,
    "targets-per-target-group": 1000,
    "certificates-per-application-load-balancer": 25,
    "certificates-per-network-load-balancer": 25,
    "tags-per-resource": 50,
    "arns-per-describe-call": 20,
}
