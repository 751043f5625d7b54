META
key;value
description;Second district of a hand-made round
district;Zuid
budget;8000
vote_type;approval
PROJECTS
project_id;cost;name;category
z1;5000;Plantsoen;Groen
z2;4000;Skatebaan;Jeugd
VOTES
voter_id;vote;age
w1;z1,z2;70
w2;z2;15
