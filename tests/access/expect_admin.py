"""Access expectations of the admin blueprint: accounts and districts for admins, blocks for staff."""

from . import ADMIN, STAFF

EXPECT = {
    "admin.index": {"GET": ADMIN},
    "admin.users": {"GET": ADMIN},
    "admin.create_user": {"GET": ADMIN, "POST": ADMIN},
    "admin.set_role": {"POST": ADMIN},
    "admin.set_active": {"POST": ADMIN},
    "admin.districts": {"GET": ADMIN},
    "admin.edit_district": {"GET": ADMIN, "POST": ADMIN},
    "admin.blocks": {"GET": STAFF},
    "admin.new_block": {"GET": STAFF, "POST": STAFF},
    "admin.edit_block": {"GET": STAFF, "POST": STAFF},
    "admin.delete_block": {"POST": STAFF},
}
