"""moto_server with the EC2 calls moto 5.1 does not implement answered as EC2 documents.

moto answers EnableImageDeprecation and Enable/DisableImageDeregistrationProtection with a
500 (NotImplementedError). galley sends them on every bake, so the tests' moto answers them:
the image must exist (InvalidAMIID.NotFound otherwise, as EC2 says), nothing else is modelled.
What galley asked is proven by moto's request recorder (MOTO_ENABLE_RECORDING), not by state.
"""
import sys

from moto.core.responses import ActionResult
from moto.ec2 import utils as ec2_utils
from moto.ec2.responses import EC2Response
from moto.server import main


def _known_image(self):
    image_id = self._get_param("ImageId")
    self.error_on_dryrun()
    self.ec2_backend.describe_images(ami_ids=[image_id])
    return image_id


def enable_image_deprecation(self):
    _known_image(self)
    return ActionResult({"Return": True})


def enable_image_deregistration_protection(self):
    _known_image(self)
    return ActionResult({"Return": "enabled"})


def disable_image_deregistration_protection(self):
    _known_image(self)
    return ActionResult({"Return": "disabled"})


for _f in (enable_image_deprecation, enable_image_deregistration_protection, disable_image_deregistration_protection):
    if not hasattr(EC2Response, _f.__name__):
        setattr(EC2Response, _f.__name__, _f)

# DescribeInstances' documented client-token filter (how galley finds a launch whose answer was
# lost); moto answers it with a 500 that the SDK retries for seconds before the tag fallback.
ec2_utils.filter_dict_attribute_mapping.setdefault("client-token", "client_token")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
