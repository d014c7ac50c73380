"""fakeaws: a strict local emulator of ELBv2, an EC2 subset, STS and the AWS
credential endpoints, for gwsync's tests.  Standard library only; botocore is
used for request validation when it is importable."""
